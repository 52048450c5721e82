import { DEV_ISSUER, importPrivateKey, mintCallerToken } from "@brandpool/tokens";
import type { PrivateJwk } from "@brandpool/tokens";

export interface DevTokenClaims {
  role: "analyst" | "approver" | "admin" | "auditor" | "platform-admin";
  /** Absent for platform principals (role auditor or platform-admin). */
  brand?: string;
  subject?: string;
  ttlSeconds?: number;
}

/** A token of the development issuer (accepted only by a gateway with BRANDPOOL_DEV=1). */
export async function mintDevToken(devIssuerKey: PrivateJwk, claims: DevTokenClaims): Promise<string> {
  return mintCallerToken(await importPrivateKey(devIssuerKey), devIssuerKey.kid ?? "dev", {
    issuer: DEV_ISSUER,
    subject: claims.subject ?? `${claims.brand ?? "platform"}-${claims.role}@dev`,
    role: claims.role,
    brand: claims.brand,
    ttlSeconds: claims.ttlSeconds,
  });
}
