import { and, eq, inArray } from "drizzle-orm";
import type { JsonObject } from "@brandpool/audit-chain";
import { incomingRequests } from "../db/incoming-request.table.js";
import type { TargetStatus } from "../db/incoming-request.table.js";
import type { Transaction } from "../db/transaction.js";
import type { NodeAudit } from "../audit/node-audit.service.js";

export interface TargetStatusChange {
  requestId: string;
  /** The statuses the change may start from; anything else changes nothing. */
  from: readonly TargetStatus[];
  to: TargetStatus;
  /** Who moved it, as audit events name principals (an approver, a rule, the node's own job). */
  actor: JsonObject;
  /** Extra columns set with the status (the approved cap, the decision's author...). */
  set?: Partial<typeof incomingRequests.$inferInsert>;
  /** Kept in the owner's log only (an exact count, a decline reason): never sent to the coordinator. */
  ownerPayload?: JsonObject;
  /** Sent with the status to the coordinator's log (never personal data, never a reason). */
  coordinatorPayload?: JsonObject;
  /**
   * The coordinator is not told now: an automatic decline, told later by `releaseHeldDeclines`
   * with the same event a person's decline queues at once.
   */
  held?: boolean;
}

/**
 * The one way a target's status moves on its node, the status's source of truth: a conditional
 * update (so two movers cannot both win), the owner's event and, in the same transaction, the
 * `outreach.status` event queued for the coordinator, which applies it to the request's target
 * only when it comes from this brand's node. Returns false, changing nothing, when the request
 * is not in one of the `from` statuses.
 */
export async function setTargetStatus(tx: Transaction, audit: Pick<NodeAudit, "record">, change: TargetStatusChange): Promise<boolean> {
  const moved = await tx.db
    .update(incomingRequests)
    .set({ ...change.set, status: change.to, statusChangedAt: new Date() })
    .where(and(eq(incomingRequests.requestId, change.requestId), inArray(incomingRequests.status, [...change.from])))
    .returning({ requester: incomingRequests.requesterBrand, version: incomingRequests.version });
  const [row] = moved;
  if (!row) return false;
  const subject = { kind: "outreach-request", id: change.requestId };
  await audit.record(
    tx,
    { type: `outreach.${change.to.toLowerCase()}`, actor: change.actor, subject, payload: { requester: row.requester, status: change.to, ...change.ownerPayload } },
    change.held ? undefined : statusForCoordinator(change.requestId, row.requester, change.to, change.coordinatorPayload),
  );
  return true;
}

/** The coordinator's `outreach.status` event: the same shape whoever moved the target. */
export function statusForCoordinator(requestId: string, requester: string, status: TargetStatus, extra?: JsonObject) {
  return { type: "outreach.status", payload: { requestId, requester, status, ...extra } };
}
