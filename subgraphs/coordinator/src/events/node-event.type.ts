import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";

@InputType({ description: "An event a brand node owes the platform log (no personal data)." })
export class NodeEventInput {
  @Field(() => ID, { description: "The node's id for it; a repeat is accepted once." }) id!: string;
  @Field(() => String) type!: string;
  @Field(() => GraphQLJSONObject) payload!: Record<string, unknown>;
}

@InputType({ description: "A denial the gateway's Cedar check made." })
export class PolicyDenialInput {
  @Field(() => String) action!: string;
  @Field(() => ID, { nullable: true, description: "The brand the denied call concerned, if any." }) brandId?: string | null;
  @Field(() => GraphQLJSONObject) actor!: Record<string, unknown>;
}

@ObjectType()
export class RecordEventsResult {
  @Field(() => Int, { description: "Events newly recorded (repeats are not counted)." }) accepted!: number;
}
