import { registerEnumType } from "type-graphql";
import type { TargetStatus } from "./outreach-request.type.js";

/** Where a request stands as a whole, summed up from the targets the viewer may see. */
export enum OutreachRequestStatus {
  /** At least one target has not decided yet. */
  OPEN = "OPEN",
  /** None undecided, and at least one approved and not yet done sending. */
  IN_PROGRESS = "IN_PROGRESS",
  /** Every target is done: sent, failed, declined, expired or cancelled (not all cancelled). */
  CLOSED = "CLOSED",
  /** Every target was cancelled. */
  CANCELLED = "CANCELLED",
}
registerEnumType(OutreachRequestStatus, {
  name: "OutreachRequestStatus",
  description: "A request as a whole: OPEN (a target undecided), IN_PROGRESS (approved, sending), CLOSED (every target done), CANCELLED (every target cancelled).",
});

/**
 * The status of a request from its targets' statuses. A target brand sees only its own target,
 * so what it is told of the request as a whole says nothing of the other targets.
 */
export function requestStatusOf(statuses: readonly `${TargetStatus}`[]): OutreachRequestStatus {
  if (statuses.length === 0) throw new Error("a request has at least one target");
  if (statuses.includes("PENDING")) return OutreachRequestStatus.OPEN;
  if (statuses.includes("APPROVED") || statuses.includes("SENDING")) return OutreachRequestStatus.IN_PROGRESS;
  if (statuses.every((status) => status === "CANCELLED")) return OutreachRequestStatus.CANCELLED;
  return OutreachRequestStatus.CLOSED;
}
