import { Arg, Authorized, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { ImportMembersResult, MemberConnection, TagMembersResult } from "./member.type.js";
import { MemberInput } from "./member.input.js";
import type { MemberService } from "./member.service.js";

@Resolver()
export class MembersResolver {
  constructor(private readonly service: MemberService) {}

  @Authorized("ListMembers")
  @Query(() => MemberConnection, { description: "The caller's own brand's members, with personal data." })
  members(
    @Arg("first", () => Int, { nullable: true, description: "At most 100; default 20." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("expression", () => String, { nullable: true, description: "A tag expression, e.g. age:25-34 and not gender:m." })
    expression: string | null,
  ): Promise<MemberConnection> {
    return this.service.list({ first, after, expression });
  }

  @Authorized("ImportMembers")
  @Mutation(() => ImportMembersResult, { description: "All rows or none: any bad row refuses the batch." })
  importMembers(@Arg("rows", () => [MemberInput]) rows: MemberInput[]): Promise<ImportMembersResult> {
    return this.service.import(rows);
  }

  @Authorized("TagMembers")
  @Mutation(() => TagMembersResult, {
    description:
      "Adds a tag to the members matching an expression, or to the given ids. A tag of a single-valued dimension (age, region, lifecycle...) replaces the member's other value of that dimension.",
  })
  tagMembers(
    @Arg("tag", () => String) tag: string,
    @Arg("expression", () => String, { nullable: true }) expression: string | null,
    @Arg("ids", () => [ID], { nullable: true }) ids: string[] | null,
  ): Promise<TagMembersResult> {
    return this.service.changeTag("add", { tag, expression, ids }).then((affected) => ({ affected }));
  }

  @Authorized("TagMembers")
  @Mutation(() => TagMembersResult, { description: "Removes a tag from the members matching an expression, or from the given ids." })
  untagMembers(
    @Arg("tag", () => String) tag: string,
    @Arg("expression", () => String, { nullable: true }) expression: string | null,
    @Arg("ids", () => [ID], { nullable: true }) ids: string[] | null,
  ): Promise<TagMembersResult> {
    return this.service.changeTag("remove", { tag, expression, ids }).then((affected) => ({ affected }));
  }
}
