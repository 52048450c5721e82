import { Directive, Field, Int, ObjectType } from "type-graphql";

/** Shared by both subgraphs (identical, hence `@shareable`): the result of checking a hash chain. */
@Directive("@shareable")
@ObjectType({ description: "The result of checking an audit log's hash chain." })
export class AuditChainVerification {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => Int) checked!: number;
  @Field(() => String, { nullable: true, description: "The first event whose link is broken." })
  firstBrokenEventId!: string | null;
  @Field(() => Int, {
    nullable: true,
    description: "How many of the chain heads the coordinator recorded for this node were compared (a brand node's log only; null when none were).",
  })
  headsChecked?: number | null;
}
