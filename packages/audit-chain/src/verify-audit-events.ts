import { auditTimestamp } from "./audit-chain.hash.js";
import { AuditChainVerifier } from "./audit-chain.verifier.js";
import type { AuditChainVerification, AuditEvent } from "./audit-chain.types.js";

/**
 * Verifies events in chain order, without a database: each must have seq = previous + 1 (seq 1
 * first), prevHash = the previous hash (`GENESIS_HASH` first), and a hash that recomputes.
 */
export function verifyAuditEvents(events: Iterable<AuditEvent>): AuditChainVerification {
  const verifier = new AuditChainVerifier();
  for (const event of events) {
    let occurredAt: string;
    try {
      occurredAt = auditTimestamp(event.occurredAt);
    } catch {
      verifier.rejectUnreadable(event.id);
      break;
    }
    if (!verifier.accept({ ...event, occurredAt })) break;
  }
  return verifier.result();
}
