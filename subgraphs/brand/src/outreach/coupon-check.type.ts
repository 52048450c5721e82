import { Field, ObjectType, registerEnumType } from "type-graphql";

export enum CouponCheckOutcome {
  VALID = "VALID",
  UNKNOWN = "UNKNOWN",
  ALREADY_REDEEMED = "ALREADY_REDEEMED",
}
registerEnumType(CouponCheckOutcome, {
  name: "CouponCheckOutcome",
  description: "VALID: issued here for that request and now counted as redeemed. UNKNOWN: not issued here for it. ALREADY_REDEEMED: counted before.",
});

@ObjectType({ description: "What an issuing node says of a coupon code (the coordinator's question; never shown to a requester as is)." })
export class CouponCheck {
  @Field(() => CouponCheckOutcome) outcome!: `${CouponCheckOutcome}`;
}
