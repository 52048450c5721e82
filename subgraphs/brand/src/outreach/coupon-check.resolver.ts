import type pg from "pg";
import { Arg, Authorized, Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import { AppError } from "@brandpool/errors";
import type { NodeAudit } from "../audit/node-audit.service.js";
import type { RequestContext } from "../auth/request-context.js";
import { Brand } from "../brand/brand.type.js";
import { CouponCheck } from "./coupon-check.type.js";
import { redeemIssuedCoupon } from "./redeem-issued-coupon.js";

/**
 * The coordinator's question to an issuing node (DESIGN.md, lifecycle step 6). It is a field of
 * the `Brand` entity because that is how the federation reaches the node a key names; it writes
 * (counts the redemption), which an entity field rarely does, but the write is conditional, so a
 * repeat of the same question changes nothing and answers ALREADY_REDEEMED.
 */
@Resolver(() => Brand)
export class CouponCheckResolver {
  constructor(
    private readonly brandId: string,
    private readonly pool: pg.Pool,
    private readonly audit: NodeAudit,
  ) {}

  @Authorized("CheckCoupon")
  @FieldResolver(() => CouponCheck, {
    nullable: true,
    description: "Counts the redemption of a code this node issued for the request (once). The coordinator only, asked by the request's own requester.",
  })
  async redeemIssuedCoupon(
    @Root() _brand: Brand,
    @Arg("requestId", () => ID) requestId: string,
    @Arg("code", () => String) code: string,
    @Arg("requesterBrandId", () => ID) requesterBrandId: string,
    @Ctx() context: RequestContext,
  ): Promise<CouponCheck> {
    if ((await context.principal()).kind !== "coordinator") throw new AppError("FORBIDDEN");
    return { outcome: await redeemIssuedCoupon(this.pool, this.audit, this.brandId, { requestId, code, requesterBrand: requesterBrandId }) };
  }
}
