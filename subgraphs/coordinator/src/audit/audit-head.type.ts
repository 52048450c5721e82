import { Field, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "A chain head of a brand node's audit log, as the platform log recorded it." })
export class RecordedAuditHead {
  @Field(() => Int) sequence!: number;
  @Field(() => String, { description: "The hash of the node's event at that sequence number." }) hash!: string;
  @Field(() => ID, { description: "That event's id." }) eventId!: string;
}

@ObjectType({ description: "What the coordinator did with a pushed chain head." })
export class AuditHeadReceipt {
  @Field(() => ID) brandId!: string;
  @Field(() => Int) sequence!: number;
  @Field(() => String) hash!: string;
  @Field(() => Boolean, { description: "False when this exact head was already recorded." }) recorded!: boolean;
}
