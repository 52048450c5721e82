import { Field, Float, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "A privacy budget of one period (a calendar month in the owner's time zone)." })
export class PrivacyBudget {
  @Field(() => Float, {
    description: "What a question new to the requester this period costs at this node, before it is asked (a question it asked before in the period is free).",
  })
  epsilonPerQuestion!: number;
  @Field(() => Float, { description: "Epsilon allowed this period." }) epsilonTotal!: number;
  @Field(() => Float, { description: "Epsilon spent this period." }) epsilonSpent!: number;
  @Field(() => Float) epsilonRemaining!: number;
  @Field(() => String, { description: "When the period ends and the budget refills (ISO 8601)." }) periodEnd!: string;
}

@ObjectType({ description: "One requester brand's quota at this owner." })
export class PartnerPrivacyBudget extends PrivacyBudget {
  @Field(() => ID) requesterBrandId!: string;
}
