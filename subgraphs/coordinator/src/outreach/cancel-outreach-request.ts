import { and, eq, inArray, sql } from "drizzle-orm";
import type pg from "pg";
import { AppError } from "@brandpool/errors";
import { principalActor } from "@brandpool/policy";
import type { Principal } from "@brandpool/policy";
import { outreachRequests, outreachTargets } from "../db/outreach-request.table.js";
import { withTransaction } from "../db/transaction.js";
import type { PlatformAudit } from "../audit/platform-audit.service.js";

/** Targets a requester may still cancel: sending has not started. */
const CANCELLABLE = ["PENDING", "APPROVED"] as const;

/**
 * The requester cancels a request: every target not yet sending becomes CANCELLED as a new
 * version, which travels to its node like the request did (its inbox, a new delivery sequence).
 * Returns the brands cancelled; NOT_FOUND for a request not the caller's brand's, CONFLICT when
 * no target could be cancelled any more. Audited.
 */
export async function cancelOutreachRequest(pool: pg.Pool, audit: PlatformAudit, principal: Principal, requestId: string): Promise<string[]> {
  if (principal.kind !== "user" || !principal.brand) throw new AppError("FORBIDDEN");
  const requester = principal.brand.id;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(requestId)) throw new AppError("NOT_FOUND", "No such outreach request.");
  return withTransaction(pool, async (tx) => {
    const [request] = await tx.db
      .select({ requesterBrand: outreachRequests.requesterBrand })
      .from(outreachRequests)
      .where(eq(outreachRequests.id, requestId));
    if (!request || request.requesterBrand !== requester) throw new AppError("NOT_FOUND", "No such outreach request.");
    const cancelled = await tx.db
      .update(outreachTargets)
      .set({ status: "CANCELLED", statusAt: new Date(), version: sql`${outreachTargets.version} + 1`, deliverySeq: sql`DEFAULT` })
      .where(and(eq(outreachTargets.requestId, requestId), inArray(outreachTargets.status, [...CANCELLABLE])))
      .returning({ brandId: outreachTargets.brandId });
    if (cancelled.length === 0) throw new AppError("CONFLICT", "No target of this request can be cancelled any more.", { reason: "NOT_CANCELLABLE" });
    const brands = cancelled.map((target) => target.brandId).sort();
    await audit.record(tx, [
      { type: "outreach.cancelled", actor: principalActor(principal), subject: { kind: "outreach-request", id: requestId }, payload: { requester, targets: brands } },
    ]);
    return brands;
  });
}
