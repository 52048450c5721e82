import { GENESIS_HASH, hashAuditEvent } from "./audit-chain.hash.js";
import type { AuditEvent } from "./audit-chain.types.js";

/** A valid chain of `length` events, built without a database (unit tests). */
export function buildChain(length: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const content = {
      seq,
      id: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
      occurredAt: new Date(Date.UTC(2025, 0, 1, 8, 0, 0, seq)),
      type: "estimate.answered",
      actor: { kind: "brand", brandId: "pieshop" },
      subject: { brandId: "teabar", requestId: null },
      payload: { released: 1230 + seq, margin95: 30, epsilon: 0.1, channels: ["sms", "email"], exact: false },
    };
    const hash = hashAuditEvent(content, prevHash);
    events.push({ ...content, prevHash, hash });
    prevHash = hash;
  }
  return events;
}
