import { newCouponCode } from "@brandpool/outreach-message";
import { currentPeriod } from "./privacy-oracle.js";
import type { TestStack } from "./test-stack.js";

export interface SeededRecipients {
  /** Member positions, with their codes, in position order. */
  recipients: { memberSeq: number; couponCode: string; status: "SENT" | "FAILED" | "AMBIGUOUS" }[];
}

/**
 * Stands in for the decision and the send job, built at the same time in other branches:
 * on one target node, marks a request it received approved and sent, and writes what the send
 * job writes (one outreach_recipients row per member, each with its coupon code and final
 * status) and what the approval charges (the results reservation as a privacy_spend row with
 * question key `outreach-results:<id>`, added to the pair's quota and the owner's pool cap).
 * TODO(lead): switch to decideOutreachRequest and the real send job once merged.
 */
export async function seedSentRequest(
  stack: TestStack,
  brandId: string,
  requestId: string,
  options: { sent: number; failed: number; ambiguous: number; reservation: string | null; status?: "SENT" | "FAILED" },
): Promise<SeededRecipients> {
  const total = options.sent + options.failed + options.ambiguous;
  const [request] = await stack.sql<{ requester_brand: string }>(brandId, "SELECT requester_brand FROM incoming_requests WHERE request_id = $1", [requestId]);
  if (!request) throw new Error(`request ${requestId} not at ${brandId}`);
  await stack.sql(
    brandId,
    `UPDATE incoming_requests SET status = $2, approved_cap = LEAST(max_recipients, $3), decided_by = 'test-approver', decided_at = now(), status_changed_at = now()
      WHERE request_id = $1`,
    [requestId, options.status ?? "SENT", Math.max(total, 1)],
  );
  // What the node's outreach.status event makes of the target at the coordinator (decisions branch).
  await stack.sql("coordinator", "UPDATE outreach_targets SET status = $3, status_at = now() WHERE request_id = $1 AND brand_id = $2", [
    requestId,
    brandId,
    options.status ?? "SENT",
  ]);
  const members = await stack.sql<{ seq: number }>(
    brandId,
    `SELECT seq FROM members WHERE seq NOT IN (SELECT member_seq FROM outreach_recipients WHERE request_id = $1) ORDER BY seq LIMIT $2`,
    [requestId, total],
  );
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
  if (options.reservation !== null) {
    const period = currentPeriod();
    await stack.sql(brandId, "INSERT INTO privacy_spend (requester_brand, period, question_key, epsilon) VALUES ($1, $2, $3, $4)", [
      request.requester_brand,
      period,
      `outreach-results:${requestId}`,
      options.reservation,
    ]);
    await stack.sql(
      brandId,
      `INSERT INTO privacy_quota_usage (requester_brand, period, epsilon_spent) VALUES ($1, $2, $3)
       ON CONFLICT (requester_brand, period) DO UPDATE SET epsilon_spent = privacy_quota_usage.epsilon_spent + excluded.epsilon_spent`,
      [request.requester_brand, period, options.reservation],
    );
    await stack.sql(
      brandId,
      `INSERT INTO privacy_pool_usage (period, epsilon_spent) VALUES ($1, $2)
       ON CONFLICT (period) DO UPDATE SET epsilon_spent = privacy_pool_usage.epsilon_spent + excluded.epsilon_spent`,
      [period, options.reservation],
    );
  }
  return { recipients };
}
