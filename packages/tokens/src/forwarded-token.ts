import { KeyObject, createPublicKey, randomUUID, sign } from "node:crypto";
import { createDecoder, createVerifier } from "fast-jwt";
import * as jose from "jose";
import { z } from "zod";
import { AppError } from "@brandpool/errors";
import { SIGNING_ALGORITHM } from "./keys.js";
import type { PublicJwk } from "./keys.js";
import { SeenTokenIds } from "./seen-token-ids.js";
import { lifetimeProblem } from "./token-lifetime.js";

/** Issuer of the short tokens the gateway mints for each fetch to a service. */
export const GATEWAY_ISSUER = "brandpool-gateway";
/** The token's `typ`, which a service requires, so that no other token of ours passes as one. */
const FORWARDED_TOKEN_TYPE = "bp-forwarded+jwt";
/** Lifetime of a forwarded token, in seconds. */
export const FORWARDED_TOKEN_TTL_SECONDS = 60;
/** Clock skew between the gateway and a service (both run by the platform, on synchronised clocks). */
export const FORWARDED_TOKEN_CLOCK_SKEW_SECONDS = 5;
/** How many forwarded token ids a service holds at most by default (about 1,500 fetches a second). */
export const DEFAULT_MAX_REMEMBERED_TOKENS = 100_000;

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
  z.object({ kind: z.literal("coordinator"), subject: z.literal("coordinator"), tokenId: z.string().min(1) }),
]);
export type ForwardedCaller = z.infer<typeof ForwardedCallerSchema>;

const ClaimsSchema = z.object({ bp: ForwardedCallerSchema });

/** The node:crypto key of each WebCrypto signing key, made once per key. */
const signingKeyObjects = new WeakMap<jose.CryptoKey, KeyObject>();

function ed25519KeyObject(key: jose.CryptoKey): KeyObject {
  let keyObject = signingKeyObjects.get(key);
  if (!keyObject) {
    keyObject = KeyObject.from(key as Parameters<typeof KeyObject.from>[0]);
    if (keyObject.type !== "private" || keyObject.asymmetricKeyType !== "ed25519") throw new Error("a forwarded token is signed with an Ed25519 private key");
    signingKeyObjects.set(key, keyObject);
  }
  return keyObject;
}

/**
 * Mints the 60-second token the gateway sends with one fetch to one service: a compact JWS
 * (RFC 7515) of the claims jose's `SignJWT` would set, signed with node:crypto's one-shot
 * Ed25519 `sign`, which is synchronous. jose signs through WebCrypto, a job on libuv's thread
 * pool and back for every token: on a fan-out of three fetches that was a third of the
 * gateway's time (`docs/benchmarks.md`). Every service verifies the token with fast-jwt, also
 * synchronously (`signatureVerifiers`).
 */
export async function mintForwardedToken(
  signingKey: jose.CryptoKey,
  keyId: string,
  audience: string,
  caller: ForwardedCaller,
): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const header = { alg: SIGNING_ALGORITHM, kid: keyId, typ: FORWARDED_TOKEN_TYPE };
  const claims = { bp: caller, iss: GATEWAY_ISSUER, aud: audience, sub: caller.subject, jti: randomUUID(), iat: issuedAt, exp: issuedAt + FORWARDED_TOKEN_TTL_SECONDS };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign(null, Buffer.from(signingInput), ed25519KeyObject(signingKey));
  return `${signingInput}.${signature.toString("base64url")}`;
}

const base64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

/**
 * One synchronous fast-jwt verifier per trusted gateway key, by `kid`: the Ed25519 check runs in
 * node:crypto on the request's own thread. jose verifies through WebCrypto, a job on libuv's
 * thread pool and back for every token, which at a node was a sixth of a stored answer's time
 * (`docs/benchmarks.md`). fast-jwt checks the signature (EdDSA only), `typ`, issuer, audience,
 * `crit` and `nbf`; `forwardedTokenVerifier` the lifetime (on its own clock), `jti`, `sub`, the
 * caller and the one use.
 */
function signatureVerifiers(audience: string, trustedKeys: readonly PublicJwk[]) {
  const byKeyId = new Map<string | undefined, (token: string) => Record<string, unknown>>();
  for (const jwk of trustedKeys) {
    const key = createPublicKey({ key: { ...jwk }, format: "jwk" }).export({ format: "pem", type: "spki" }).toString();
    byKeyId.set(
      jwk.kid,
      createVerifier({
        key,
        algorithms: [SIGNING_ALGORITHM],
        allowedIss: GATEWAY_ISSUER,
        allowedAud: audience,
        checkTyp: FORWARDED_TOKEN_TYPE,
        // Expiry is `lifetimeProblem`'s, on the verifier's own clock.
        ignoreExpiration: true,
        clockTolerance: FORWARDED_TOKEN_CLOCK_SKEW_SECONDS * 1000,
        complete: false,
      }),
    );
  }
  const decodeHeader = createDecoder({ complete: true });
  /** The token's claims when a trusted key signed it (the key its `kid` names); throws otherwise. */
  return (token: string): Record<string, unknown> => {
    const { header } = decodeHeader(token) as { header: { kid?: unknown } };
    // A token names its key; a key without `kid` in the config matches only a token without one.
    const verifier = typeof header.kid === "string" || header.kid === undefined ? byKeyId.get(header.kid) : undefined;
    if (!verifier) throw new Error("no trusted key of that id");
    return verifier(token);
  };
}

/**
 * Builds a verifier that a service uses for every request: the gateway keys in its config only,
 * this service's audience, at most 60 seconds to live, and each token accepted once. The ids of
 * accepted tokens are held in memory until their tokens expire; a service that holds
 * `maxRememberedTokens` live ids refuses new tokens until some expire (it fails closed).
 */
export function forwardedTokenVerifier(options: { audience: string; trustedKeys: readonly PublicJwk[]; maxRememberedTokens?: number; now?: () => number }) {
  const verifySignature = signatureVerifiers(options.audience, options.trustedKeys);
  const now = options.now ?? Date.now;
  const seen = new SeenTokenIds({ maxEntries: options.maxRememberedTokens ?? DEFAULT_MAX_REMEMBERED_TOKENS, now });
  const skew = FORWARDED_TOKEN_CLOCK_SKEW_SECONDS;
  return async function verifyForwardedToken(token: string): Promise<ForwardedCaller> {
    try {
      const payload = verifySignature(token);
      const nowSeconds = Math.floor(now() / 1000);
      if (lifetimeProblem(payload, { maxLifetimeSeconds: FORWARDED_TOKEN_TTL_SECONDS, clockSkewSeconds: skew, nowSeconds })) throw new Error("bad lifetime");
      if (typeof payload.jti !== "string" || payload.jti === "" || typeof payload.sub !== "string") throw new Error("bad claims");
      const caller = ClaimsSchema.parse(payload).bp;
      // Remembered only once the signature checked out, so nobody else can fill the memory; held
      // until the token would be refused as expired anyway.
      const forgetAt = ((payload.exp as number) + skew + 1) * 1000;
      if (seen.remember(payload.jti, forgetAt) !== "first-use") throw new Error("token already used");
      return caller;
    } catch {
      throw new AppError("UNAUTHENTICATED", "A valid gateway token for this service is required.");
    }
  };
}
