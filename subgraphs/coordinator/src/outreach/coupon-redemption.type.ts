import { Field, ObjectType, registerEnumType } from "type-graphql";

export enum CouponRedemptionReason {
  UNKNOWN = "UNKNOWN",
  ALREADY_REDEEMED = "ALREADY_REDEEMED",
}
registerEnumType(CouponRedemptionReason, {
  name: "CouponRedemptionReason",
  description: "Why a code was not counted: no target issued it for this request (UNKNOWN), or it was counted before (ALREADY_REDEEMED).",
});

@ObjectType({ description: "A coupon a customer used, as the request's targets answered. Never says which target issued it." })
export class CouponRedemption {
  @Field(() => Boolean, { description: "True: issued for this request and counted now (once)." }) valid!: boolean;
  @Field(() => CouponRedemptionReason, { nullable: true, description: "Set when not valid." }) reason!: `${CouponRedemptionReason}` | null;
}
