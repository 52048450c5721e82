import { randomUUID } from "node:crypto";
import * as jose from "jose";
import { GATEWAY_AUDIENCE, importPrivateKey } from "@brandpool/tokens";
import type { PrivateJwk } from "@brandpool/tokens";

/** Claims of a caller's JWT, each settable (or removable with `undefined`) to build a bad one. */
export type TokenClaims = Record<string, unknown>;

/** Right claims for a caller's token: audience, subject, id, issued now, an hour to live. */
export function callerClaims(claims: { iss: string; role: string; brand?: string; sub?: string }): TokenClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: claims.sub ?? `${claims.brand ?? "platform"}-${claims.role}@test`,
    aud: GATEWAY_AUDIENCE,
    jti: randomUUID(),
    iat: now,
    exp: now + 3600,
    ...claims,
  };
}

/** Drops the claims whose value is `undefined` (a JWT cannot carry them). */
function defined(claims: TokenClaims): jose.JWTPayload {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined)) as jose.JWTPayload;
}

/** Signs exactly these claims with an Ed25519 key, under the key's own `kid` unless told another. */
export async function signToken(key: PrivateJwk, claims: TokenClaims, header: { kid?: string } = {}): Promise<string> {
  return new jose.SignJWT(defined(claims))
    .setProtectedHeader({ alg: "EdDSA", kid: header.kid ?? key.kid ?? "key" })
    .sign(await importPrivateKey(key));
}

/** An unsigned token (`alg: none`), as an attacker would hand-build one. */
export function unsignedToken(claims: TokenClaims, kid?: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
  return `${part({ alg: "none", typ: "JWT", ...(kid ? { kid } : {}) })}.${part(defined(claims))}.`;
}

/** A token MACed with HS256 under the bytes of a public key: the classic algorithm confusion. */
export async function hmacWithPublicKey(publicX: string, claims: TokenClaims, kid?: string): Promise<string> {
  return new jose.SignJWT(defined(claims))
    .setProtectedHeader({ alg: "HS256", ...(kid ? { kid } : {}) })
    .sign(new TextEncoder().encode(publicX));
}
