import { newCouponCode } from "@brandpool/outreach-message";
import { approve, waitForStatus } from "./outreach-sending.js";
import { eventually } from "./test-stack.js";
import type { TestStack } from "./test-stack.js";

export interface SentRecipients {
  /** Member positions, with their codes, in position order. */
  recipients: { memberSeq: number; couponCode: string; status: "SENT" | "FAILED" | "AMBIGUOUS" }[];
}

/** What the owner's node issued for a request: its outreach_recipients, by member position. */
export async function recipientsIssued(stack: TestStack, brandId: string, requestId: string): Promise<SentRecipients> {
  const rows = await stack.sql<{ member_seq: number; coupon_code: string; status: "SENT" | "FAILED" | "AMBIGUOUS" }>(
    brandId,
    "SELECT member_seq, coupon_code, status FROM outreach_recipients WHERE request_id = $1 ORDER BY member_seq",
    [requestId],
  );
  return { recipients: rows.map((row) => ({ memberSeq: row.member_seq, couponCode: row.coupon_code, status: row.status })) };
}

/**
 * The real flow on one target: its approver approves with `cap` (reserving the results' budget),
 * and its node sends through the channel it is configured with (a test's sink) until SENT;
 * returns the coupons the node issued.
 */
export async function approveAndSend(stack: TestStack, brandId: string, requestId: string, cap: number): Promise<SentRecipients> {
  await approve(stack, brandId, requestId, cap);
  const status = await waitForStatus(stack, brandId, requestId, ["SENT", "FAILED"]);
  if (status !== "SENT") throw new Error(`${brandId} ended ${requestId} ${status}`);
  return recipientsIssued(stack, brandId, requestId);
}

/**
 * Forges the end of a send after a real approval, for a test that needs exact outcomes the sinks
 * cannot give cheaply: FAILED needs refusals by the provider and AMBIGUOUS an SMTP send killed
 * mid-flight (outreach-crash.e2e.test.ts does that, at a cost of a minute). On a node with no
 * channel configured the approved request stays APPROVED, selecting nobody, so this writes what
 * the send job would: one outreach_recipients row per member with its coupon and final status,
 * and the final status on the node and (as its outreach.status event would) at the coordinator.
 */
export async function forgeSend(
  stack: TestStack,
  brandId: string,
  requestId: string,
  options: { sent: number; failed: number; ambiguous: number; status?: "SENT" | "FAILED" },
): Promise<SentRecipients> {
  const status = options.status ?? "SENT";
  const total = options.sent + options.failed + options.ambiguous;
  // The approval's own event must reach the coordinator first, or it would arrive after the forged status.
  await eventually(async () => {
    const [target] = await stack.sql<{ status: string }>("coordinator", "SELECT status FROM outreach_targets WHERE request_id = $1 AND brand_id = $2", [requestId, brandId]);
    return target?.status === "APPROVED" ? true : undefined;
  });
  const moved = await stack.sql(
    brandId,
    "UPDATE incoming_requests SET status = $2, status_changed_at = now() WHERE request_id = $1 AND status = 'APPROVED' AND approved_cap >= $3 RETURNING 1",
    [requestId, status, total],
  );
  if (moved.length !== 1) throw new Error(`${requestId} is not approved at ${brandId} for ${total}`);
  await stack.sql("coordinator", "UPDATE outreach_targets SET status = $3, status_at = now() WHERE request_id = $1 AND brand_id = $2", [requestId, brandId, status]);
  const members = await stack.sql<{ seq: number }>(brandId, "SELECT seq FROM members ORDER BY seq LIMIT $1", [total]);
  const recipients = members.map((member, index) => ({
    memberSeq: member.seq,
    couponCode: newCouponCode(),
    status: (index < options.sent ? "SENT" : index < options.sent + options.failed ? "FAILED" : "AMBIGUOUS") as "SENT" | "FAILED" | "AMBIGUOUS",
  }));
  if (recipients.length > 0) {
    await stack.sql(
      brandId,
      `INSERT INTO outreach_recipients (request_id, member_seq, batch, coupon_code, status, attempts, finished_at)
       SELECT $1, seq, 0, code, status, 1, now() FROM unnest($2::int[], $3::text[], $4::text[]) AS r(seq, code, status)`,
      [requestId, recipients.map((r) => r.memberSeq), recipients.map((r) => r.couponCode), recipients.map((r) => r.status)],
    );
  }
  return { recipients };
}
