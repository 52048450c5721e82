import { randomUUID } from "node:crypto";
import * as jose from "jose";
import { z } from "zod";
import { AppError } from "@brandpool/errors";
import { SIGNING_ALGORITHM, localKeySet } from "./keys.js";
import type { PublicJwk } from "./keys.js";

/** Issuer of the short tokens the gateway mints for each fetch to a service. */
export const GATEWAY_ISSUER = "brandpool-gateway";
/** Lifetime of a forwarded token, in seconds. */
export const FORWARDED_TOKEN_TTL_SECONDS = 60;

export const ROLES = ["analyst", "approver", "admin", "auditor", "platform-admin"] as const;
export type CallerRole = (typeof ROLES)[number];

/** Audience of a forwarded token: one service only. */
export function serviceAudience(service: { kind: "node"; brandId: string } | { kind: "coordinator" }): string {
  return service.kind === "node" ? `node:${service.brandId}` : "coordinator";
}

/** Who called the gateway, as it tells a service. */
export const ForwardedCallerSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("user"),
    subject: z.string().min(1),
    brand: z.string().min(1).nullable(),
    role: z.enum(ROLES),
    tokenId: z.string().min(1),
  }),
  z.object({ kind: z.literal("node"), subject: z.string().min(1), brand: z.string().min(1), tokenId: z.string().min(1) }),
  z.object({ kind: z.literal("gateway"), subject: z.literal("gateway"), tokenId: z.string().min(1) }),
]);
export type ForwardedCaller = z.infer<typeof ForwardedCallerSchema>;

const ClaimsSchema = z.object({ bp: ForwardedCallerSchema });

/** Mints the 60-second token the gateway sends with one fetch to one service. */
export async function mintForwardedToken(
  signingKey: jose.CryptoKey,
  keyId: string,
  audience: string,
  caller: ForwardedCaller,
): Promise<string> {
  return new jose.SignJWT({ bp: caller })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: keyId, typ: "bp-forwarded+jwt" })
    .setIssuer(GATEWAY_ISSUER)
    .setAudience(audience)
    .setSubject(caller.subject)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${FORWARDED_TOKEN_TTL_SECONDS}s`)
    .sign(signingKey);
}

/** Builds a verifier that a service uses for every request: the gateway keys in its config only. */
export function forwardedTokenVerifier(options: { audience: string; trustedKeys: readonly PublicJwk[] }) {
  const keySet = localKeySet(options.trustedKeys);
  return async function verifyForwardedToken(token: string): Promise<ForwardedCaller> {
    try {
      const { payload, protectedHeader } = await jose.jwtVerify(token, keySet, {
        algorithms: [SIGNING_ALGORITHM],
        issuer: GATEWAY_ISSUER,
        audience: options.audience,
        requiredClaims: ["exp", "iat", "jti", "sub"],
        maxTokenAge: `${FORWARDED_TOKEN_TTL_SECONDS + 5}s`,
      });
      if (protectedHeader.typ !== "bp-forwarded+jwt") throw new Error("wrong token type");
      return ClaimsSchema.parse(payload).bp;
    } catch {
      throw new AppError("UNAUTHENTICATED", "A valid gateway token for this service is required.");
    }
  };
}
