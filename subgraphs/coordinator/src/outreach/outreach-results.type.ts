import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({
  description:
    "One target's results as its node released them through its privacy layer: noisy figures, null where fewer than `threshold` (the k threshold applied to the noisy figure). Released once when sending ends, then at most daily for redemptions.",
})
export class OutreachResults {
  @Field(() => Int, { nullable: true, description: "Members the owner's node selected and messaged (null: fewer than threshold)." }) contacted!: number | null;
  @Field(() => Int, { nullable: true, description: "Messages delivered." }) delivered!: number | null;
  @Field(() => Int, { nullable: true, description: "Messages that failed." }) failed!: number | null;
  @Field(() => Int, { nullable: true, description: "Coupons redeemed, as of this release." }) redeemed!: number | null;
  @Field(() => Int, { description: "Each figure is within this of the exact one 95% of the time." }) margin95!: number;
  @Field(() => Int, { description: "The k threshold: figures below it are released as null." }) threshold!: number;
  @Field(() => Int, { description: "1 for the release when sending ended; each redemption update adds one." }) releaseNumber!: number;
  @Field(() => String, { description: "When this release arrived (ISO 8601, rounded down to the hour)." }) releasedAt!: string;
}
