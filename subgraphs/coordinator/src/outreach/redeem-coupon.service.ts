import type pg from "pg";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@brandpool/errors";
import type { JsonObject } from "@brandpool/audit-chain";
import { isCouponCode, normalizeCouponCode } from "@brandpool/outreach-message";
import { principalActor } from "@brandpool/policy";
import type { Principal } from "@brandpool/policy";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/transaction.js";
import type { PlatformAudit } from "../audit/platform-audit.service.js";
import type { CoordinatorGatewayClient } from "./gateway-client.js";
import { OutreachRequestRepository } from "./outreach-request.repository.js";
import type { CouponRedemption } from "./coupon-redemption.type.js";

/** Targets that may have issued codes: selection starts only after approval. */
const ISSUING_STATUSES = ["APPROVED", "SENDING", "SENT", "FAILED"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHECK = `query CheckCoupon($brandId: ID!, $requestId: ID!, $code: String!, $requester: ID!) {
  brand(id: $brandId) { redeemIssuedCoupon(requestId: $requestId, code: $code, requesterBrandId: $requester) { outcome } } }`;

type Outcome = "VALID" | "UNKNOWN" | "ALREADY_REDEEMED" | "UNANSWERED";

/**
 * A requester records a coupon its customer used (DESIGN.md, lifecycle step 6): for its own
 * request only, rate-limited per principal, the code's shape checked first; the coordinator then
 * asks each target that may have issued codes, through the gateway, as principal `coordinator`.
 * The issuing node counts it once. The answer and the coordinator's log never say which target
 * issued the code; every attempt that is not counted is audited with its reason.
 */
export class RedeemCouponService {
  private readonly limiter: RateLimiterMemory;

  constructor(
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly audit: PlatformAudit,
    private readonly gateway: CoordinatorGatewayClient | null,
    attemptsPerMinute: number,
  ) {
    this.limiter = new RateLimiterMemory({ points: attemptsPerMinute, duration: 60 });
  }

  async redeem(principal: Principal, requestId: string, rawCode: string): Promise<CouponRedemption> {
    if (principal.kind !== "user" || !principal.brand) throw new AppError("FORBIDDEN");
    const brand = principal.brand.id;
    // Counted before anything else, so neither malformed codes nor others' requests go unlimited.
    await this.limiter.consume(`${brand}:${principal.subject}`).catch((rejection: unknown) => {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterMs = Math.max(1, Math.ceil(rejection.msBeforeNext));
      throw new AppError("RATE_LIMITED", `Too many coupon attempts; try again in ${retryAfterMs} ms.`, { retryAfterMs });
    });
    const code = typeof rawCode === "string" ? normalizeCouponCode(rawCode) : "";
    if (!isCouponCode(code)) {
      await this.refused(principal, requestId, "MALFORMED_CODE");
      throw new AppError("BAD_INPUT", "Not a coupon code: 13 characters of Crockford base32.", { fields: [{ field: "code", reason: "MALFORMED_CODE" }] });
    }
    const repository = new OutreachRequestRepository(this.db);
    const request = UUID.test(requestId) ? await repository.find(requestId) : undefined;
    const targets = request ? await repository.targetsOf([request.id]) : [];
    if (!request || request.requesterBrand !== brand) {
      await this.refused(principal, requestId, "NOT_REQUESTER");
      // A target brand knows the request; anyone else is told nothing of it.
      if (request && targets.some((target) => target.brandId === brand)) throw new AppError("FORBIDDEN", "Only the brand that made the request records its coupons.");
      throw new AppError("NOT_FOUND", "No such outreach request.");
    }
    if (!this.gateway) throw new AppError("UNAVAILABLE", "The coordinator cannot reach the nodes (no gateway client configured).");
    const gateway = this.gateway;
    const issuing = targets.filter((target) => (ISSUING_STATUSES as readonly string[]).includes(target.status));
    const outcomes = await Promise.all(issuing.map((target) => this.ask(gateway, target.brandId, request.id, code, brand)));
    const valid = outcomes.includes("VALID");
    if (!valid && outcomes.includes("UNANSWERED")) {
      await this.refused(principal, request.id, "UNANSWERED");
      throw new AppError("UNAVAILABLE", "Not every target could be asked; try again later.");
    }
    const reason = valid ? null : outcomes.includes("ALREADY_REDEEMED") ? "ALREADY_REDEEMED" : "UNKNOWN";
    if (reason) await this.refused(principal, request.id, reason);
    else await this.record(principal, "outreach.coupon_redeemed", request.id, { requester: brand });
    return { valid, reason };
  }

  private async ask(gateway: CoordinatorGatewayClient, brandId: string, requestId: string, code: string, requester: string): Promise<Outcome> {
    try {
      const answer = await gateway.request<{ brand: { redeemIssuedCoupon: { outcome: Outcome } | null } | null }>(CHECK, { brandId, requestId, code, requester });
      return answer.data?.brand?.redeemIssuedCoupon?.outcome ?? "UNANSWERED";
    } catch {
      return "UNANSWERED";
    }
  }

  private refused(principal: Principal, requestId: string, reason: string): Promise<void> {
    // A request id that is not one is kept out of the log's subject (it is the caller's text).
    const id = UUID.test(requestId) ? requestId : null;
    return this.record(principal, "outreach.coupon_refused", id, { requester: principal.kind === "user" ? (principal.brand?.id ?? null) : null, reason });
  }

  private record(principal: Principal, type: string, requestId: string | null, payload: JsonObject): Promise<void> {
    return withTransaction(this.pool, (tx) =>
      this.audit.record(tx, [
        { type, actor: principalActor(principal), subject: requestId ? { kind: "outreach-request", id: requestId } : { kind: "platform" }, payload },
      ]),
    );
  }
}
