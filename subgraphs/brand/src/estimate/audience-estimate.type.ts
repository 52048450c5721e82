import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";

export enum OutreachChannel {
  SMS = "SMS",
  EMAIL = "EMAIL",
  MAIL = "MAIL",
}
registerEnumType(OutreachChannel, { name: "OutreachChannel", description: "A channel the owner sends through." });

@ObjectType({ description: "A count released through the owner's privacy layer." })
export class AudienceEstimate {
  @Field(() => Int, { nullable: true, description: "The noisy count; null when it is below the threshold." })
  count!: number | null;
  @Field(() => Boolean, { description: "The noisy count is below k: reported only as 'fewer than k'." })
  belowThreshold!: boolean;
  @Field(() => Int, { description: "k." }) threshold!: number;
  @Field(() => Int, { description: "95% of answers are within this of the exact count." }) margin95!: number;
  @Field(() => Float, { description: "Privacy cost of this question when it was first asked." }) epsilon!: number;
  @Field(() => String, { description: "Budget period of the answer (YYYY-MM, owner's time zone)." }) period!: string;
  @Field(() => Boolean, { description: "This answer was stored earlier in the period and is repeated." }) repeated!: boolean;
}
