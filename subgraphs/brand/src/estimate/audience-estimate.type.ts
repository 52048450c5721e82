import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";

export enum OutreachChannel {
  SMS = "SMS",
  EMAIL = "EMAIL",
  MAIL = "MAIL",
}
registerEnumType(OutreachChannel, { name: "OutreachChannel", description: "A channel the owner sends through." });

@ObjectType({ description: "A count released through the owner's privacy ledger." })
export class AudienceEstimate {
  @Field(() => Int, { nullable: true, description: "The noisy count; null when it is below the threshold." })
  count!: number | null;
  @Field(() => Boolean, { description: "The noisy count is below k: reported only as 'fewer than k'." })
  belowThreshold!: boolean;
  @Field(() => Int, { description: "k." }) threshold!: number;
  @Field(() => Int, { description: "95% of answers are within this of the exact count." }) margin95!: number;
  @Field(() => Float, { description: "Privacy cost of this question when it was first answered (0 for one that selects nobody)." })
  epsilon!: number;
  @Field(() => String, { description: "Budget period of the answer (YYYY-MM, owner's time zone)." }) period!: string;
  @Field(() => Boolean, { description: "Your brand received this answer before in this period (it says nothing of other brands)." })
  repeated!: boolean;
  @Field(() => Float, { description: "What this call cost your brand's quota at this owner: 0 for a repeat." })
  epsilonSpent!: number;
  @Field(() => Float, { description: "Your brand's quota left at this owner this period, after this call." })
  budgetRemaining!: number;
}
