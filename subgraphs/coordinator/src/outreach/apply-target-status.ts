import { and, eq } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { outreachTargets } from "../db/outreach-request.table.js";
import type { NodeEventRefusal } from "../events/node-event-refusal.js";

/** The event type a node pushes for each move of one of its targets (subgraphs/brand/src/outreach/target-status.ts). */
export const OUTREACH_STATUS_EVENT = "outreach.status";

type Status = (typeof outreachTargets.$inferSelect)["status"];
const STATUSES: readonly Status[] = ["PENDING", "APPROVED", "DECLINED", "EXPIRED", "CANCELLED", "SENDING", "SENT", "FAILED"];

/**
 * The lifecycle's forward moves, as a node makes them. Checked against the status the node last
 * reported (not the coordinator's own, which the requester's cancellation may have set before
 * the node heard of it: the node's word is the truth about its own target).
 */
const FORWARD: Readonly<Record<Status, readonly Status[]>> = {
  PENDING: ["APPROVED", "DECLINED", "EXPIRED", "CANCELLED"],
  APPROVED: ["CANCELLED", "EXPIRED", "SENDING", "FAILED"],
  SENDING: ["SENT", "FAILED"],
  DECLINED: [],
  EXPIRED: [],
  CANCELLED: [],
  SENT: [],
  FAILED: [],
};

export function isForwardMove(from: Status, to: Status): boolean {
  return FORWARD[from].includes(to);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Applies one `outreach.status` event from the node of `brandId` to that brand's own target of
 * the request, or says why not. The target is always the pushing node's own (never one the
 * payload names), so a node cannot move another brand's target: naming one is OTHER_BRAND, a
 * request it is not a target of is NOT_A_TARGET, and a move that is not forward is STALE_STATUS.
 */
export async function applyTargetStatus(db: Database, brandId: string, payload: Record<string, unknown>): Promise<NodeEventRefusal | null> {
  const { requestId, status } = payload;
  if (typeof requestId !== "string" || !UUID.test(requestId) || typeof status !== "string" || !STATUSES.includes(status as Status)) {
    return { reason: "BAD_PAYLOAD", message: "An outreach.status event needs a requestId (UUID) and a target status." };
  }
  for (const key of ["brandId", "target", "owner"]) {
    if (key in payload && payload[key] !== brandId) return { reason: "OTHER_BRAND", message: "A node reports the status of its own brand's target only." };
  }
  const [target] = await db
    .select({ status: outreachTargets.status, reported: outreachTargets.reportedStatus })
    .from(outreachTargets)
    .where(and(eq(outreachTargets.requestId, requestId), eq(outreachTargets.brandId, brandId)))
    .for("update");
  if (!target) return { reason: "NOT_A_TARGET", message: "This brand is not a target of that outreach request." };
  const to = status as Status;
  if (!isForwardMove(target.reported ?? "PENDING", to)) {
    return { reason: "STALE_STATUS", message: `${target.reported ?? "PENDING"} -> ${to} is not a forward move of the lifecycle.` };
  }
  // An approval the node made before it heard of the requester's cancellation: the node can still
  // apply it (APPROVED -> CANCELLED), and the inbox delivers the target's status, so the
  // coordinator keeps CANCELLED until the node reports what it did with it.
  const cancellationOnItsWay = target.status === "CANCELLED" && to === "APPROVED";
  await db
    .update(outreachTargets)
    .set(cancellationOnItsWay ? { reportedStatus: to } : { status: to, reportedStatus: to, statusAt: new Date() })
    .where(and(eq(outreachTargets.requestId, requestId), eq(outreachTargets.brandId, brandId)));
  return null;
}
