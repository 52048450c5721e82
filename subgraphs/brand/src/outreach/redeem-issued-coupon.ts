import type pg from "pg";
import { and, eq, isNull, sql } from "drizzle-orm";
import { AppError } from "@brandpool/errors";
import { isCouponCode, normalizeCouponCode } from "@brandpool/outreach-message";
import { incomingRequests } from "../db/incoming-request.table.js";
import { outreachRecipients } from "../db/outreach-recipient.table.js";
import { withTransaction } from "../db/transaction.js";
import type { NodeAudit } from "../audit/node-audit.service.js";

export type CouponOutcome = "VALID" | "UNKNOWN" | "ALREADY_REDEEMED";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Counts a redemption of a code this node issued for a request of `requesterBrand`: a conditional
 * update (`redeemed_at IS NULL`), so two concurrent redemptions of one code count once and a
 * repeated ask only answers ALREADY_REDEEMED. A code issued here for another request, or a request
 * another brand made, is UNKNOWN: the node checks the requester itself, not only the coordinator.
 * The owner's log records each redemption it counted (no code, no member).
 */
export async function redeemIssuedCoupon(
  pool: pg.Pool,
  audit: Pick<NodeAudit, "record">,
  brandId: string,
  input: { requestId: string; code: string; requesterBrand: string },
): Promise<CouponOutcome> {
  const code = normalizeCouponCode(input.code);
  if (!isCouponCode(code)) throw new AppError("BAD_INPUT", "Not a coupon code.", { fields: [{ field: "code", reason: "MALFORMED_CODE" }] });
  if (!UUID.test(input.requestId)) return "UNKNOWN";
  return withTransaction(pool, async (tx) => {
    const [request] = await tx.db
      .select({ requester: incomingRequests.requesterBrand })
      .from(incomingRequests)
      .where(eq(incomingRequests.requestId, input.requestId));
    if (!request || request.requester !== input.requesterBrand) return "UNKNOWN";
    const counted = await tx.db
      .update(outreachRecipients)
      .set({ redeemedAt: sql`now()` })
      .where(and(eq(outreachRecipients.requestId, input.requestId), eq(outreachRecipients.couponCode, code), isNull(outreachRecipients.redeemedAt)))
      .returning({ at: outreachRecipients.redeemedAt });
    if (counted.length === 0) {
      const [issued] = await tx.db
        .select({ at: outreachRecipients.redeemedAt })
        .from(outreachRecipients)
        .where(and(eq(outreachRecipients.requestId, input.requestId), eq(outreachRecipients.couponCode, code)));
      return issued ? "ALREADY_REDEEMED" : "UNKNOWN";
    }
    await audit.record(tx, {
      type: "outreach.coupon_redeemed",
      actor: { kind: "coordinator" },
      subject: { kind: "outreach-request", id: input.requestId },
      payload: { requestId: input.requestId, requester: request.requester, owner: brandId },
    });
    return "VALID";
  });
}
