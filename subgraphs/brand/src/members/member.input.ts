import { Field, InputType } from "type-graphql";

@InputType()
export class ConsentInput {
  @Field(() => Boolean, { nullable: true }) sms?: boolean;
  @Field(() => Boolean, { nullable: true }) email?: boolean;
  @Field(() => Boolean, { nullable: true }) mail?: boolean;
}

@InputType({ description: "One member row. A known externalId updates that member." })
export class MemberInput {
  @Field(() => String) externalId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: "E.164, e.g. +8613812345678" }) phone?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) address?: string | null;
  @Field(() => String, { nullable: true, description: "YYYY-MM-DD" }) birthDate?: string | null;
  @Field(() => String, { description: "YYYY-MM-DD" }) joinDate!: string;
  @Field(() => ConsentInput, { nullable: true }) consent?: ConsentInput | null;
  @Field(() => [String], { nullable: true, description: "Taxonomy keys; when given, they replace the member's tags." })
  tags?: string[] | null;
}
