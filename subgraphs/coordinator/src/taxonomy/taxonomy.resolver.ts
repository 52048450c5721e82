import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { CoordinatorContext } from "../auth/request-context.js";
import { Tag, TagInput } from "./tag.type.js";
import type { TaxonomyService } from "./taxonomy.service.js";

@Resolver(() => Tag)
export class TaxonomyResolver {
  constructor(private readonly taxonomy: TaxonomyService) {}

  @Authorized("ReadTaxonomy")
  @Query(() => [Tag], { description: "The shared tag taxonomy, in 简体中文 and English." })
  tags(): Promise<Tag[]> {
    return this.taxonomy.list();
  }

  @Authorized("ManageTaxonomy")
  @Mutation(() => Tag, { description: "Adds a tag or relabels it. Platform admins only; audited." })
  async upsertTag(@Arg("input", () => TagInput) input: TagInput, @Ctx() context: CoordinatorContext): Promise<Tag> {
    return this.taxonomy.upsert(await context.principal(), input);
  }
}
