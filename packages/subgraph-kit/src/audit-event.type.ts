import { Directive, Field, ID, Int, ObjectType } from "type-graphql";

/** Shared by both subgraphs (identical, hence `@shareable`): one event of an audit log, as auditors list it. */
@Directive("@shareable")
@ObjectType({ description: "One event of an audit log: who acted on whom and what, never its payload." })
export class AuditEvent {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: "Its place in the chain: 1, 2, 3... with no gaps." }) sequence!: number;
  @Field(() => String, { description: "The event type, e.g. outreach.requested, node.estimate.answered, policy.denied." }) action!: string;
  @Field(() => ID, { nullable: true, description: "The brand that acted (for an event a node pushed, the brand of the principal it names)." })
  actorBrandId!: string | null;
  @Field(() => ID, { nullable: true, description: "The brand acted on; null when several are (see targetBrandIds) or none." })
  targetBrandId!: string | null;
  @Field(() => [ID], { description: "Every brand acted on (an outreach request's targets)." }) targetBrandIds!: string[];
  @Field(() => ID, { nullable: true, description: "What it is about: an outreach request's id, a question's key, a tag..." })
  objectId!: string | null;
  @Field(() => String, { description: "When it was recorded (ISO 8601 with milliseconds)." }) at!: string;
}

@Directive("@shareable")
@ObjectType()
export class AuditEventEdge {
  @Field(() => AuditEvent) node!: AuditEvent;
  @Field(() => String) cursor!: string;
}

@Directive("@shareable")
@ObjectType()
export class AuditEventPageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@Directive("@shareable")
@ObjectType({ description: "A Relay connection over an audit log, oldest first." })
export class AuditEventConnection {
  @Field(() => [AuditEventEdge]) edges!: AuditEventEdge[];
  @Field(() => AuditEventPageInfo) pageInfo!: AuditEventPageInfo;
}

@Directive("@shareable")
@ObjectType({ description: "A page of an audit log exported as JSON Lines: concatenated in order, the pages are the file `npm run audit:verify` checks." })
export class AuditExportPage {
  @Field(() => [String], { description: "One event per line, each ending in a line break." }) lines!: string[];
  @Field(() => Int, { nullable: true, description: "The last sequence number on this page: pass it as `after` for the next (null: nothing more)." })
  lastSequence!: number | null;
}
