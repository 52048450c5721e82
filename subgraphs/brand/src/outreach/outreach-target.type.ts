import { Directive, Field, ID, ObjectType } from "type-graphql";

/**
 * One target of a request, keyed by request and brand: the gateway sends each to the node the
 * `brandId` names, and that node, the owner and source of truth, answers its status.
 */
@Directive('@key(fields: "requestId brandId")')
@ObjectType({ description: "One target brand of a request; its status is answered by that brand's own node." })
export class OutreachTarget {
  @Field(() => ID) requestId!: string;
  @Field(() => ID) brandId!: string;
}
