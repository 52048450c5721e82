import { quoteAuditTable } from "./audit-table.name.js";
import type { AuditQueryable } from "./audit-chain.types.js";

/** A chain head another party recorded: "this chain had `hash` at `seq`, event `eventId`". */
export interface RecordedAuditHead {
  seq: number;
  hash: string;
  eventId: string;
}

export interface AuditHeadsCheck {
  /** Heads compared, up to and including the first one the chain contradicts. */
  headsChecked: number;
  /**
   * The event named by the first head the chain no longer matches: the event now at that seq
   * (rewritten, or rehashed after an earlier rewrite), or the head's own event if it is gone (the
   * tail was cut). Null when every head matches.
   */
  firstBrokenEventId: string | null;
  /** The seq of that head. */
  contradictedHeadSeq: number | null;
}

/**
 * Compares a chain with heads recorded elsewhere. A chain alone cannot show a tail that was
 * rehashed or cut off: every link still recomputes. A head recorded earlier still holds the old
 * hash, so the chain must have that exact event at that seq.
 */
export function compareWithHeads(
  heads: readonly RecordedAuditHead[],
  eventAt: (seq: number) => { id: string; hash: string } | undefined,
): AuditHeadsCheck {
  const ordered = [...heads].sort((a, b) => a.seq - b.seq);
  let headsChecked = 0;
  for (const head of ordered) {
    headsChecked += 1;
    const event = eventAt(head.seq);
    if (!event) return { headsChecked, firstBrokenEventId: head.eventId, contradictedHeadSeq: head.seq };
    if (event.hash !== head.hash || event.id !== head.eventId) return { headsChecked, firstBrokenEventId: event.id, contradictedHeadSeq: head.seq };
  }
  return { headsChecked, firstBrokenEventId: null, contradictedHeadSeq: null };
}

/** compareWithHeads against a stored chain (one query for the heads' rows). */
export async function checkAuditHeads(queryable: AuditQueryable, table: string, heads: readonly RecordedAuditHead[]): Promise<AuditHeadsCheck> {
  if (heads.length === 0) return { headsChecked: 0, firstBrokenEventId: null, contradictedHeadSeq: null };
  const { rows } = await queryable.query<{ seq: string; id: string; hash: string }>(
    `SELECT seq::text AS seq, id::text AS id, hash FROM ${quoteAuditTable(table)} WHERE seq = ANY($1::bigint[])`,
    [heads.map((head) => String(head.seq))],
  );
  const bySeq = new Map(rows.map((row) => [Number(row.seq), row]));
  return compareWithHeads(heads, (seq) => bySeq.get(seq));
}

/** The head of a stored chain (its last event), or null for an empty chain. */
export async function readAuditHead(queryable: AuditQueryable, table: string): Promise<RecordedAuditHead | null> {
  const { rows } = await queryable.query<{ seq: string; id: string; hash: string }>(
    `SELECT seq::text AS seq, id::text AS id, hash FROM ${quoteAuditTable(table)} ORDER BY seq DESC LIMIT 1`,
  );
  const row = rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash, eventId: row.id } : null;
}
