import { Directive, Field, ID, Int, ObjectType } from "type-graphql";

@Directive('@key(fields: "id")')
@ObjectType({ description: "A brand of the pool. Its fields here are answered by that brand's own node." })
export class Brand {
  @Field(() => ID) id!: string;
}

@Directive("@shareable")
@ObjectType({ description: "The result of checking an audit log's hash chain." })
export class AuditChainVerification {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => Int) checked!: number;
  @Field(() => String, { nullable: true, description: "The first event whose link is broken." })
  firstBrokenEventId!: string | null;
}
