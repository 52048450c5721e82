import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "An event this node owed the coordinator and set aside because the coordinator refused it. The node's own audit log still holds it." })
export class OutboxRefusal {
  @Field(() => ID, { description: "The node event's id (as in this node's audit log)." }) id!: string;
  @Field(() => String, { description: "The event type, e.g. estimate.answered." }) type!: string;
  @Field(() => String, { description: "The coordinator's stable code, e.g. PAYLOAD_TOO_LARGE, BAD_PAYLOAD, OTHER_BRAND." }) reason!: string;
  @Field(() => String, { description: "The coordinator's plain sentence." }) message!: string;
  @Field(() => String, { description: "When it was set aside (ISO 8601)." }) refusedAt!: string;
}

@ObjectType()
export class OutboxRefusalEdge {
  @Field(() => OutboxRefusal) node!: OutboxRefusal;
  @Field(() => String) cursor!: string;
}

@ObjectType("OutboxRefusalPageInfo")
export class OutboxRefusalPageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType({ description: "A Relay connection over the events this node set aside, newest first." })
export class OutboxRefusalConnection {
  @Field(() => [OutboxRefusalEdge]) edges!: OutboxRefusalEdge[];
  @Field(() => OutboxRefusalPageInfo) pageInfo!: OutboxRefusalPageInfo;
}
