import type { RecordedAuditHead } from "./audit-heads.js";

/** The event type with which the coordinator records a node's signed chain head in its own log. */
export const HEAD_RECORDED_EVENT = "audit.head_recorded";

/**
 * The heads of `brandId` that a coordinator export holds (its `audit.head_recorded` events), for
 * checking that brand node's export against them offline. Lines that are not such events are skipped:
 * the coordinator export's own chain is checked separately.
 */
export async function headsFromExport(lines: AsyncIterable<string> | Iterable<string>, brandId: string): Promise<RecordedAuditHead[]> {
  const heads: RecordedAuditHead[] = [];
  for await (const line of lines) {
    if (!line.includes(HEAD_RECORDED_EVENT)) continue;
    let event: { type?: unknown; subject?: { brand?: unknown }; payload?: { seq?: unknown; hash?: unknown; eventId?: unknown } };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      continue;
    }
    const { seq, hash, eventId } = event.payload ?? {};
    if (event.type !== HEAD_RECORDED_EVENT || event.subject?.brand !== brandId) continue;
    if (typeof seq === "number" && typeof hash === "string" && typeof eventId === "string") heads.push({ seq, hash, eventId });
  }
  return heads;
}
