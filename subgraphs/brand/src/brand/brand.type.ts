import { Directive, Field, ID, ObjectType } from "type-graphql";

@Directive('@key(fields: "id")')
@ObjectType({ description: "A brand of the pool. Its fields here are answered by that brand's own node." })
export class Brand {
  @Field(() => ID) id!: string;
}
