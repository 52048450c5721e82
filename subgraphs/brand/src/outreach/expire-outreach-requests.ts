import type pg from "pg";
import type { NodeAudit } from "../audit/node-audit.service.js";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/transaction.js";
import { IncomingRequestRepository } from "./incoming-request.repository.js";
import { setTargetStatus } from "./target-status.js";

const BATCH = 200;

/**
 * Closes the PENDING requests past their expiry: each becomes EXPIRED through setTargetStatus
 * (the owner's log and the coordinator hear of it) and can no longer be decided. A request
 * decided meanwhile stays as it is (the conditional move changes nothing). Returns how many expired.
 */
export async function expireOutreachRequests(
  brandId: string,
  db: Database,
  pool: pg.Pool,
  audit: Pick<NodeAudit, "record" | "pushSoon">,
): Promise<number> {
  const actor = { kind: "node", brand: brandId, job: "expire-outreach" };
  let expired = 0;
  for (;;) {
    const due = await new IncomingRequestRepository(db).expiredPending(BATCH);
    for (const requestId of due) {
      // One transaction per request: one that fails does not hold back the others.
      const moved = await withTransaction(pool, (tx) => setTargetStatus(tx, audit, { requestId, from: ["PENDING"], to: "EXPIRED", actor, set: { decidedKind: "EXPIRY" } }));
      if (moved) expired += 1;
    }
    if (due.length < BATCH) break;
  }
  if (expired > 0) audit.pushSoon();
  return expired;
}
