import { DEV_PLATFORM_ISSUER, devBrandIssuer, importPrivateKey, mintCallerToken } from "@brandpool/tokens";
import type { DevIssuerKeys } from "./stack-keys.js";

export interface DevTokenClaims {
  role: "analyst" | "approver" | "admin" | "auditor" | "platform-admin";
  /** Absent for platform principals (role auditor or platform-admin). */
  brand?: string;
  subject?: string;
  ttlSeconds?: number;
}

/**
 * A token of a development issuer (accepted only by a gateway with BRANDPOOL_DEV=1): with a
 * brand, signed by that brand's issuer key; without, by the platform issuer's.
 */
export async function mintDevToken(keys: DevIssuerKeys, claims: DevTokenClaims): Promise<string> {
  const key = claims.brand ? keys.nodes[claims.brand]?.issuer : keys.platformIssuer;
  if (!key) throw new Error(`No development issuer for brand ${claims.brand ?? "?"} in the stack keys.`);
  return mintCallerToken(await importPrivateKey(key), key.kid ?? "dev", {
    issuer: claims.brand ? devBrandIssuer(claims.brand) : DEV_PLATFORM_ISSUER,
    subject: claims.subject ?? `${claims.brand ?? "platform"}-${claims.role}@dev`,
    role: claims.role,
    brand: claims.brand,
    ttlSeconds: claims.ttlSeconds,
  });
}
