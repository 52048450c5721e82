import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { AppError } from "@brandpool/errors";
import { principalActor } from "@brandpool/policy";
import type { RequestContext } from "../auth/request-context.js";
import type { SharingRulesService, SharingRulesView } from "./sharing-rules.service.js";
import { SharingDecisionPreview, SharingRules } from "./sharing-rules.type.js";

const toType = (view: SharingRulesView): SharingRules => ({ policies: view.policies, validatedAt: view.validatedAt?.toISOString() ?? null, hash: view.hash });

/** Your brand's own sharing rules and minimum outreach audience, at your own node: admins only (Cedar ManageSharingRules). */
@Resolver()
export class SharingRulesResolver {
  constructor(private readonly rules: SharingRulesService) {}

  @Authorized("ManageSharingRules")
  @Query(() => SharingRules, { description: "Your brand's sharing rules in force (an empty policy set when none)." })
  async sharingRules(): Promise<SharingRules> {
    return toType(await this.rules.view());
  }

  @Authorized("ManageSharingRules")
  @Mutation(() => SharingRules, {
    description:
      "Replaces your brand's sharing rules. A set that does not validate against the sharing rules' Cedar schema is refused (INVALID_POLICY, with Cedar's message and position) and changes nothing. Audited with the text's hash.",
  })
  async updateSharingRules(@Arg("policies", () => String) policies: string, @Ctx() context: RequestContext): Promise<SharingRules> {
    const principal = await context.principal();
    if (principal.kind !== "user") throw new AppError("FORBIDDEN");
    return toType(await this.rules.update(principalActor(principal), principal.subject, policies));
  }

  @Authorized("ManageSharingRules")
  @Query(() => [SharingDecisionPreview], {
    description:
      "A dry run: what the given rules (or, without them, the saved ones) would decide for the last requests your brand received (default and at most 50). The minimum audience is not asked and nothing changes.",
  })
  previewSharingDecisions(
    @Arg("policies", () => String, { nullable: true }) policies: string | null,
    @Arg("last", () => Int, { nullable: true }) last: number | null,
  ): Promise<SharingDecisionPreview[]> {
    // An argument left out arrives as undefined: both mean "not given".
    return this.rules.preview(policies ?? null, last ?? null);
  }

  @Authorized("ManageSharingRules")
  @Query(() => Int, { description: "Your brand's minimum outreach audience: a request whose noisy audience is below it is declined." })
  minimumOutreachAudience(): Promise<number> {
    return this.rules.minimum();
  }

  @Authorized("ManageSharingRules")
  @Mutation(() => Int, { description: "Sets your brand's minimum outreach audience (at least 100; BAD_INPUT below). Audited." })
  async setMinimumOutreachAudience(@Arg("minimum", () => Int) minimum: number, @Ctx() context: RequestContext): Promise<number> {
    return this.rules.setMinimum(principalActor(await context.principal()), minimum);
  }
}
