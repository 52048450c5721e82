import type pg from "pg";
import { and, asc, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { NodeAudit } from "../audit/node-audit.service.js";
import { incomingRequests } from "../db/incoming-request.table.js";
import { withTransaction } from "../db/transaction.js";
import { statusForCoordinator } from "../outreach/target-status.js";

const BATCH = 100;

/**
 * Tells the coordinator of each automatic decline whose release time has come, with the very
 * event a person's decline queues at once (`outreach.status` {requestId, requester, status}):
 * from then on the requester reads DECLINED, here and at the coordinator. The time is in the row
 * (`release_at`), so a restarted node releases on time; each is released once (`released_at`).
 * Returns how many were released.
 */
export async function releaseHeldDeclines(brandId: string, pool: pg.Pool, audit: Pick<NodeAudit, "record" | "pushSoon">, now: Date = new Date()): Promise<number> {
  const actor = { kind: "node", brand: brandId, job: "release-declines" };
  const released = await withTransaction(pool, async (tx) => {
    const due = await tx.db
      .select({ requestId: incomingRequests.requestId, requester: incomingRequests.requesterBrand })
      .from(incomingRequests)
      .where(
        and(
          eq(incomingRequests.status, "DECLINED"),
          isNotNull(incomingRequests.releaseAt),
          isNull(incomingRequests.releasedAt),
          lte(incomingRequests.releaseAt, sql`${now.toISOString()}::timestamptz`),
        ),
      )
      .orderBy(asc(incomingRequests.releaseAt))
      .limit(BATCH)
      .for("update", { skipLocked: true });
    for (const row of due) {
      await tx.db.update(incomingRequests).set({ releasedAt: now }).where(eq(incomingRequests.requestId, row.requestId));
      await audit.record(
        tx,
        // Named as the decision's own event type, so that the coordinator's `outreach.status` points
        // at an `outreach.declined` of the owner's log (reconcileOutreachRequest checks that pair).
        { type: "outreach.declined", actor, subject: { kind: "outreach-request", id: row.requestId }, payload: { requester: row.requester, status: "DECLINED", released: true } },
        statusForCoordinator(row.requestId, row.requester, "DECLINED"),
      );
    }
    return due.length;
  });
  if (released > 0) audit.pushSoon();
  return released;
}
