import { Directive, Field, ID, ObjectType } from "type-graphql";

/** A target's side of a reconciliation; `ownerEvents` is answered by that target's own node. */
@Directive('@key(fields: "requestId brandId")')
@ObjectType({ description: "What a target node's own log says about an outreach request." })
export class OutreachTargetEvidence {
  @Field(() => ID) requestId!: string;
  @Field(() => ID) brandId!: string;
  @Directive("@external")
  @Field(() => String, { nullable: true, description: "From the target's node (JSON), through the gateway with the auditor's own rights." })
  ownerEvents?: string | null;
}

@Directive('@key(fields: "requestId")')
@ObjectType({ description: "One outreach request's figures and statuses checked between the platform log and each target's own log." })
export class OutreachReconciliation {
  @Field(() => ID) requestId!: string;
  @Field(() => [OutreachTargetEvidence]) targets!: OutreachTargetEvidence[];
  @Directive('@requires(fields: "targets { ownerEvents }")')
  @Field(() => Boolean, { description: "True when nothing below disagrees." })
  ok!: boolean;
  @Directive('@requires(fields: "targets { ownerEvents }")')
  @Field(() => [String], { description: "What does not agree, one plain sentence each (naming the target brand and the event)." })
  mismatches!: string[];
}
