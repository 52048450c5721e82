import type pg from "pg";
import type { NodeAudit } from "../audit/node-audit.service.js";
import { withTransaction } from "../db/transaction.js";
import { setTargetStatus } from "../outreach/target-status.js";
import { sendActor } from "./send-settings.js";

/**
 * Once no recipient of a SENDING request is still QUEUED: SENT, or FAILED when every message
 * failed, with the exact figures in the owner's log. Safe to call from every batch that ends:
 * the row lock makes one of them move it and the others find it moved.
 */
export async function finishSending(pool: pg.Pool, audit: Pick<NodeAudit, "record" | "pushSoon">, brandId: string, requestId: string): Promise<boolean> {
  const moved = await withTransaction(pool, async (tx) => {
    const held = await tx.client.query<{ status: string }>("SELECT status FROM incoming_requests WHERE request_id = $1 FOR UPDATE", [requestId]);
    if (held.rows[0]?.status !== "SENDING") return false;
    // After every batch: a look in the partial index of QUEUED rows, not a count over them all.
    const queued = await tx.client.query("SELECT 1 FROM outreach_recipients WHERE request_id = $1 AND status = 'QUEUED' LIMIT 1", [requestId]);
    if (queued.rows.length > 0) return false;
    const counts = await tx.client.query<{ selected: number; queued: number; sent: number; failed: number; ambiguous: number }>(
      `SELECT count(*)::int AS selected,
              count(*) FILTER (WHERE status = 'QUEUED')::int AS queued,
              count(*) FILTER (WHERE status = 'SENT')::int AS sent,
              count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
              count(*) FILTER (WHERE status = 'AMBIGUOUS')::int AS ambiguous
       FROM outreach_recipients WHERE request_id = $1`,
      [requestId],
    );
    const figures = counts.rows[0];
    if (!figures || figures.queued > 0) return false;
    const to = figures.selected > 0 && figures.failed === figures.selected ? "FAILED" : "SENT";
    const { queued: _queued, ...exact } = figures;
    return setTargetStatus(tx, audit, { requestId, from: ["SENDING"], to, actor: sendActor(brandId), ownerPayload: exact });
  });
  if (moved) audit.pushSoon();
  return moved;
}
