import { eq } from "drizzle-orm";
import { AppError } from "@brandpool/errors";
import { contentHash } from "@brandpool/outreach-message";
import { incomingRequests } from "../db/incoming-request.table.js";
import type { IncomingRequestRecord } from "./incoming-request.repository.js";
import { setTargetStatus } from "./target-status.js";
import type { Transaction } from "../db/transaction.js";
import type { NodeAudit } from "../audit/node-audit.service.js";
import { DeliveredOutreachRequestSchema } from "./delivered-outreach-request.schema.js";
import type { DeliveredOutreachRequest } from "./delivered-outreach-request.schema.js";

/** What receiving one delivery did to this node's copy. */
export type ReceiveOutcome = "STORED" | "CANCELLED" | "UNCHANGED";

/**
 * Parses a delivery and recomputes its content hash from the fields received: the node trusts
 * no hash it did not compute, so a copy altered on the way (or at the coordinator) is refused.
 */
export function verifyDelivery(input: unknown, brandId: string): DeliveredOutreachRequest {
  const parsed = DeliveredOutreachRequestSchema.safeParse(input);
  if (!parsed.success) throw new AppError("BAD_INPUT", "The delivered outreach request is not valid.", { reason: "BAD_SHAPE" });
  const delivered = parsed.data;
  if (!delivered.targetBrandIds.includes(brandId)) {
    throw new AppError("BAD_INPUT", "The delivered outreach request is not addressed to this brand.", { reason: "NOT_A_TARGET" });
  }
  const recomputed = contentHash({
    channel: delivered.channel,
    subject: delivered.subject,
    message: delivered.message,
    expression: delivered.expression,
    purpose: delivered.purpose,
    cap: delivered.maxRecipientsPerBrand,
    sendWindow: { start: delivered.sendAfter, end: delivered.expiresAt },
    expiresAt: delivered.expiresAt,
    targets: delivered.targetBrandIds,
  });
  if (recomputed !== delivered.contentHash) {
    throw new AppError("BAD_INPUT", "The delivered outreach request does not match its content hash.", { reason: "HASH_MISMATCH" });
  }
  return delivered;
}

const REQUEST_SUBJECT = (requestId: string) => ({ kind: "outreach-request", id: requestId });

/** Called in the receiving transaction for each new PENDING copy: the decision step's hook. */
export type OnStored = (tx: Transaction, request: IncomingRequestRecord) => Promise<void>;

/**
 * Stores this node's copy of a delivered request, once, and calls `onStored` (the decision
 * step's hook) for a new PENDING copy in the same transaction: a request already held is left
 * alone unless the delivery is a later version that cancels it while it is PENDING or APPROVED.
 * Idempotent by request id and version, so a node that was down, or a pull repeated after a lost
 * acknowledgement, stores nothing twice. The audit events carry ids, the requester and the hash,
 * never the message or any member data.
 */
export async function receiveOutreachRequest(
  tx: Transaction,
  audit: Pick<NodeAudit, "record">,
  brandId: string,
  input: unknown,
  onStored?: OnStored,
): Promise<ReceiveOutcome> {
  const delivered = verifyDelivery(input, brandId);
  const actor = { kind: "node", brand: brandId };
  const [held] = await tx.db.select().from(incomingRequests).where(eq(incomingRequests.requestId, delivered.requestId)).for("update");
  if (!held) {
    const inserted = await tx.db
      .insert(incomingRequests)
      .values({
        requestId: delivered.requestId,
        version: delivered.version,
        requesterBrand: delivered.requesterBrandId,
        expression: delivered.expression,
        channel: delivered.channel,
        subject: delivered.subject,
        message: delivered.message,
        purpose: delivered.purpose,
        maxRecipients: delivered.maxRecipientsPerBrand,
        sendAfter: new Date(delivered.sendAfter),
        expiresAt: new Date(delivered.expiresAt),
        targets: [...delivered.targetBrandIds].sort(),
        contentHash: delivered.contentHash,
        status: delivered.status,
      })
      // A concurrent receipt of the same request stored it first: nothing more to do.
      .onConflictDoNothing()
      .returning();
    const [stored] = inserted;
    if (!stored) return "UNCHANGED";
    await audit.record(tx, {
      type: "outreach.received",
      actor,
      subject: REQUEST_SUBJECT(delivered.requestId),
      payload: { requester: delivered.requesterBrandId, version: delivered.version, status: delivered.status, contentHash: delivered.contentHash },
    });
    if (stored.status === "PENDING") await onStored?.(tx, stored);
    return "STORED";
  }
  // A request never changes at the coordinator: the same id with other content is not this request.
  if (held.contentHash !== delivered.contentHash) {
    throw new AppError("CONFLICT", "The delivered outreach request differs from the copy held.", { reason: "CONTENT_CHANGED" });
  }
  if (delivered.version <= held.version || delivered.status !== "CANCELLED") return "UNCHANGED";
  // The requester may cancel until sending starts: a copy PENDING or APPROVED (not yet SENDING)
  // is cancelled; one already sending, sent or closed stays as it is, and nothing changes.
  // An automatic decline not yet released is, for the requester and the coordinator, still
  // PENDING: it is cancelled as a waiting request would be, and never released.
  const heldDecline = held.status === "DECLINED" && held.releaseAt !== null && held.releasedAt === null;
  const cancelled = await setTargetStatus(tx, audit, {
    requestId: delivered.requestId,
    from: heldDecline ? ["PENDING", "APPROVED", "DECLINED"] : ["PENDING", "APPROVED"],
    to: "CANCELLED",
    actor,
    set: { version: delivered.version, ...(heldDecline ? { releaseAt: null } : {}) },
    ownerPayload: { version: delivered.version, was: held.status },
  });
  return cancelled ? "CANCELLED" : "UNCHANGED";
}
