import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";
import { NODE_EVENT_REFUSALS } from "./node-event-refusal.js";
import type { NodeEventRefusalReason as RefusalReason } from "./node-event-refusal.js";

@InputType({ description: "An event a brand node owes the platform log (no personal data)." })
export class NodeEventInput {
  @Field(() => ID, { description: "The node's id for it; a repeat by the same brand is accepted once." }) id!: string;
  @Field(() => String) type!: string;
  @Field(() => GraphQLJSONObject) payload!: Record<string, unknown>;
}

@InputType({ description: "A denial the gateway's Cedar check made." })
export class PolicyDenialInput {
  @Field(() => String) action!: string;
  @Field(() => ID, { nullable: true, description: "The brand the denied call concerned, if any." }) brandId?: string | null;
  @Field(() => GraphQLJSONObject) actor!: Record<string, unknown>;
}

export enum NodeEventStatus {
  ACCEPTED = "ACCEPTED",
  REFUSED = "REFUSED",
}
registerEnumType(NodeEventStatus, {
  name: "NodeEventStatus",
  description: "ACCEPTED: in the platform log (now or by an earlier push). REFUSED: never recorded; pushing it again is refused again.",
});

// A GraphQL enum is a TS enum by necessity (STYLE.md); its values are the refusal codes.
const NodeEventRefusalReason = Object.fromEntries(NODE_EVENT_REFUSALS.map((code) => [code, code])) as { [K in RefusalReason]: K };
registerEnumType(NodeEventRefusalReason, {
  name: "NodeEventRefusalReason",
  description: "Why the coordinator refused one event (stable codes).",
});

@ObjectType({ description: "What the coordinator did with one pushed event." })
export class NodeEventOutcome {
  @Field(() => ID, { description: "The event's id, as pushed." }) id!: string;
  @Field(() => NodeEventStatus) status!: NodeEventStatus;
  @Field(() => NodeEventRefusalReason, { nullable: true, description: "Set when REFUSED." }) reason!: RefusalReason | null;
  @Field(() => String, { nullable: true, description: "A plain sentence, set when REFUSED." }) message!: string | null;
}

@ObjectType()
export class RecordEventsResult {
  @Field(() => Int, { description: "Events newly recorded (repeats are not counted)." }) recorded!: number;
  @Field(() => Int, { deprecationReason: "Use recorded (the same figure) and outcomes." }) accepted!: number;
  @Field(() => [NodeEventOutcome], { description: "One outcome per pushed event, in the order pushed." }) outcomes!: NodeEventOutcome[];
}
