import * as jose from "jose";
import { z } from "zod";
import { SIGNING_ALGORITHM } from "./keys.js";
import type { PublicJwk } from "./keys.js";

/** JWS `typ` of a signed chain head, so a head can never pass for a token and a token never for a head. */
export const AUDIT_HEAD_TYPE = "brandpool-audit-head";

export const AuditHeadSchema = z
  .object({
    /** The brand whose node's chain this is. */
    brand: z.string().min(1).max(64),
    /** The chain's last sequence number. */
    seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    /** That event's hash (lower-case hex SHA-256). */
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    /** That event's id, so a verification can name it when it is cut off. */
    eventId: z.string().uuid(),
    /** When the node signed it (ISO 8601). */
    signedAt: z.string().datetime({ offset: false }),
  })
  .strict();
export type AuditHead = z.infer<typeof AuditHeadSchema>;

/**
 * A node's statement "my chain ends at seq with this hash", signed with the node's own key (the
 * one registered at the coordinator for its client tokens), as a compact JWS: anyone holding the
 * registered public key can check it later, offline too.
 */
export async function signAuditHead(signingKey: jose.CryptoKey, keyId: string, head: AuditHead): Promise<string> {
  const payload = new TextEncoder().encode(JSON.stringify(AuditHeadSchema.parse(head)));
  return new jose.CompactSign(payload).setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: keyId, typ: AUDIT_HEAD_TYPE }).sign(signingKey);
}

/** The head a signature carries, or null when it is not a head signed by `key` (any reason). */
export async function verifyAuditHead(jws: string, key: PublicJwk): Promise<AuditHead | null> {
  try {
    const publicKey = await jose.importJWK({ ...key, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM);
    const { payload, protectedHeader } = await jose.compactVerify(jws, publicKey, { algorithms: [SIGNING_ALGORITHM] });
    if (protectedHeader.typ !== AUDIT_HEAD_TYPE) return null;
    const parsed = AuditHeadSchema.safeParse(JSON.parse(new TextDecoder().decode(payload)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
