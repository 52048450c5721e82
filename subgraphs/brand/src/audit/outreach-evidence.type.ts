import { Directive, Field, ID, ObjectType } from "type-graphql";

/** One target's side of `reconcileOutreachRequest`: answered by that target's own node. */
@Directive('@key(fields: "requestId brandId")')
@ObjectType({ description: "What a target node's own log says about an outreach request, for reconciliation at the coordinator." })
export class OutreachTargetEvidence {
  @Field(() => ID) requestId!: string;
  @Field(() => ID) brandId!: string;
}
