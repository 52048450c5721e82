import { randomUUID } from "node:crypto";
import * as jose from "jose";
import { SIGNING_ALGORITHM } from "./keys.js";

/** Audience of every token presented to the gateway. */
export const GATEWAY_AUDIENCE = "brandpool";

const DEV_ISSUER_PREFIX = "urn:brandpool:dev-issuer:";

/**
 * Issuer of the development platform tokens (`npm run token -- --role auditor`). Each brand has a
 * development issuer of its own, with its own key (`devBrandIssuer`), so that a brand token is
 * never a platform token, even in development. The gateway accepts development issuers only when
 * BRANDPOOL_DEV=1, and refuses to start with that under NODE_ENV=production.
 */
export const DEV_PLATFORM_ISSUER = `${DEV_ISSUER_PREFIX}platform`;

/** Issuer of one brand's development tokens (`npm run token -- --brand <id> ...`). */
export function devBrandIssuer(brandId: string): string {
  return `${DEV_ISSUER_PREFIX}brand:${brandId}`;
}

/** Whether `issuer` is one of the development issuers (platform or brand). */
export function isDevIssuer(issuer: string): boolean {
  return issuer.startsWith(DEV_ISSUER_PREFIX);
}

/** Issuer a brand node uses when it calls the gateway as principal `node:<brandId>`. */
export function nodeIssuer(brandId: string): string {
  return `node:${brandId}`;
}

/** A short token with which a brand node calls the gateway; verified against its registered key. */
export async function mintNodeClientToken(signingKey: jose.CryptoKey, keyId: string, brandId: string): Promise<string> {
  return new jose.SignJWT({ brand: brandId })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: keyId })
    .setIssuer(nodeIssuer(brandId))
    .setSubject(nodeIssuer(brandId))
    .setAudience(GATEWAY_AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime("60s")
    .sign(signingKey);
}

/** Issuer (and subject) of the coordinator's own client tokens: it asks nodes through the gateway. */
export const COORDINATOR_ISSUER = "coordinator";

/** A short token with which the coordinator calls the gateway as principal `coordinator`. */
export async function mintCoordinatorClientToken(signingKey: jose.CryptoKey, keyId: string): Promise<string> {
  return new jose.SignJWT({})
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: keyId })
    .setIssuer(COORDINATOR_ISSUER)
    .setSubject(COORDINATOR_ISSUER)
    .setAudience(GATEWAY_AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime("60s")
    .sign(signingKey);
}

/** A caller's JWT as a brand's identity provider (or the platform's, or the dev issuer) signs it. */
export async function mintCallerToken(
  signingKey: jose.CryptoKey,
  keyId: string,
  claims: { issuer: string; subject: string; role: string; brand?: string | undefined; ttlSeconds?: number },
): Promise<string> {
  const body: Record<string, string> = { role: claims.role };
  if (claims.brand) body.brand = claims.brand;
  return new jose.SignJWT(body)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: keyId })
    .setIssuer(claims.issuer)
    .setSubject(claims.subject)
    .setAudience(GATEWAY_AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds ?? 3600}s`)
    .sign(signingKey);
}
