import { Field, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "Consent to partner offers, per channel." })
export class MemberConsent {
  @Field(() => Boolean) sms!: boolean;
  @Field(() => Boolean) email!: boolean;
  @Field(() => Boolean) mail!: boolean;
}

@ObjectType({ description: "A member of the caller's own brand, with personal data. Never served to another brand." })
export class Member {
  @Field(() => ID, { description: "Relay global id, unique across brands." }) id!: string;
  @Field(() => String) externalId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) address!: string | null;
  @Field(() => String, { nullable: true, description: "YYYY-MM-DD" }) birthDate!: string | null;
  @Field(() => String, { description: "YYYY-MM-DD" }) joinDate!: string;
  @Field(() => MemberConsent) consent!: MemberConsent;
  @Field(() => [String], { description: "Taxonomy keys, dimension:value." }) tags!: string[];
}

@ObjectType()
export class MemberEdge {
  @Field(() => Member) node!: Member;
  @Field(() => String) cursor!: string;
}

@ObjectType("MemberPageInfo")
export class MemberPageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType({ description: "A Relay connection over the caller's own members." })
export class MemberConnection {
  @Field(() => Int, { description: "Members matching the expression (counted only when asked)." })
  totalCount!: number | Promise<number>;
  @Field(() => [MemberEdge]) edges!: MemberEdge[];
  @Field(() => MemberPageInfo) pageInfo!: MemberPageInfo;
}

@ObjectType()
export class ImportMembersResult {
  @Field(() => Int) inserted!: number;
  @Field(() => Int) updated!: number;
}

@ObjectType()
export class TagMembersResult {
  @Field(() => Int, { description: "Members whose tags changed." }) affected!: number;
}
