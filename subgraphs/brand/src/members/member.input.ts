import { Field, InputType } from "type-graphql";

@InputType()
export class ConsentInput {
  @Field(() => Boolean, { nullable: true }) sms?: boolean;
  @Field(() => Boolean, { nullable: true }) email?: boolean;
  @Field(() => Boolean, { nullable: true }) mail?: boolean;
}

// externalId, name and joinDate are required, but nullable here: a row without one is then
// refused by the node like any other bad row, named in `details.rows`, instead of by GraphQL's
// input validation, which names no row.
@InputType({ description: "One member row. A known externalId updates that member." })
export class MemberInput {
  @Field(() => String, { nullable: true, description: "Required. The brand's own id of the member." }) externalId?: string | null;
  @Field(() => String, { nullable: true, description: "Required." }) name?: string | null;
  @Field(() => String, { nullable: true, description: "E.164, e.g. +8613812345678" }) phone?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) address?: string | null;
  @Field(() => String, { nullable: true, description: "YYYY-MM-DD" }) birthDate?: string | null;
  @Field(() => String, { nullable: true, description: "Required. YYYY-MM-DD" }) joinDate?: string | null;
  @Field(() => ConsentInput, { nullable: true }) consent?: ConsentInput | null;
  @Field(() => [String], { nullable: true, description: "Taxonomy keys; when given, they replace the member's tags." })
  tags?: string[] | null;
}
