import type pg from "pg";
import { and, asc, eq, gte, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { NodeAudit } from "../audit/node-audit.service.js";
import { incomingRequests } from "../db/incoming-request.table.js";
import { withTransaction } from "../db/transaction.js";
import { statusForCoordinator } from "../outreach/target-status.js";

const BATCH = 100;

/**
 * Tells the coordinator of each automatic decline whose release time has come, with the very
 * event a person's decline queues at once (`outreach.status` {requestId, requester, status}):
 * from then on the requester reads DECLINED, here and at the coordinator. A decline whose drawn
 * time falls after the request's expiry is told at the expiry as EXPIRED instead, the event the
 * expiry of an unanswered request queues: what the requester would see had nobody answered.
 * The time is in the row (`release_at`), so a restarted node releases on time; each is released
 * once (`released_at`). Returns how many were released.
 */
export async function releaseHeldDeclines(brandId: string, pool: pg.Pool, audit: Pick<NodeAudit, "record" | "pushSoon">, now: Date = new Date()): Promise<number> {
  const actor = { kind: "node", brand: brandId, job: "release-declines" };
  const at = sql`${now.toISOString()}::timestamptz`;
  const released = await withTransaction(pool, async (tx) => {
    const due = await tx.db
      .select({ requestId: incomingRequests.requestId, requester: incomingRequests.requesterBrand, releaseAt: incomingRequests.releaseAt, expiresAt: incomingRequests.expiresAt })
      .from(incomingRequests)
      .where(
        and(
          eq(incomingRequests.status, "DECLINED"),
          isNotNull(incomingRequests.releaseAt),
          isNull(incomingRequests.releasedAt),
          or(
            and(lte(incomingRequests.releaseAt, at), lt(incomingRequests.releaseAt, incomingRequests.expiresAt)),
            and(gte(incomingRequests.releaseAt, incomingRequests.expiresAt), lte(incomingRequests.expiresAt, at)),
          ),
        ),
      )
      .orderBy(asc(incomingRequests.releaseAt))
      .limit(BATCH)
      .for("update", { skipLocked: true });
    for (const row of due) {
      const status = row.releaseAt !== null && row.releaseAt < row.expiresAt ? "DECLINED" : "EXPIRED";
      await tx.db.update(incomingRequests).set({ releasedAt: now }).where(eq(incomingRequests.requestId, row.requestId));
      await audit.record(
        tx,
        // Named as the status's own event type (`outreach.declined`, `outreach.expired`), so that
        // the coordinator's `outreach.status` points at its pair in the owner's log
        // (reconcileOutreachRequest checks that pair); the owner's copy stays DECLINED.
        { type: `outreach.${status.toLowerCase()}`, actor, subject: { kind: "outreach-request", id: row.requestId }, payload: { requester: row.requester, status, released: true } },
        statusForCoordinator(row.requestId, row.requester, status),
      );
    }
    return due.length;
  });
  if (released > 0) audit.pushSoon();
  return released;
}
