import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { CoordinatorContext } from "../auth/request-context.js";
import { CouponRedemption } from "./coupon-redemption.type.js";
import type { RedeemCouponService } from "./redeem-coupon.service.js";

@Resolver()
export class CouponRedemptionResolver {
  constructor(private readonly service: RedeemCouponService) {}

  @Authorized("RedeemCoupon")
  @Mutation(() => CouponRedemption, {
    description:
      "Records a coupon code a customer used, for one of your brand's requests: the target that issued it counts it once. Never says which target that was. Rate-limited per principal; refusals are audited. BAD_INPUT for a code that is not 13 Crockford base32 characters.",
  })
  async redeemCoupon(
    @Arg("requestId", () => ID) requestId: string,
    @Arg("code", () => String) code: string,
    @Ctx() context: CoordinatorContext,
  ): Promise<CouponRedemption> {
    return this.service.redeem(await context.principal(), requestId, code);
  }
}
