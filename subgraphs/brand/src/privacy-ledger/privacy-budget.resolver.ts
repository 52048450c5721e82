import { Arg, Authorized, Ctx, Float, ID, Mutation, Query, Resolver } from "type-graphql";
import { principalActor } from "@brandpool/policy";
import type { RequestContext } from "../auth/request-context.js";
import type { PoolView } from "../pool/pool-view.service.js";
import type { PrivacyBudgetService } from "./privacy-budget.service.js";
import { PartnerPrivacyBudget, PrivacyBudget } from "./privacy-budget.type.js";

/** The own brand's budgets as an owner: each partner's quota at this node and the pool-wide cap. */
@Resolver()
export class PrivacyBudgetResolver {
  constructor(
    private readonly budgets: PrivacyBudgetService,
    private readonly pool: PoolView,
  ) {}

  @Authorized("ReadPrivacyBudgets")
  @Query(() => [PartnerPrivacyBudget], { description: "Each partner brand's quota at your brand this period, spent and left." })
  async privacyBudgets(): Promise<PartnerPrivacyBudget[]> {
    await this.pool.requireReady();
    return this.budgets.quotas(this.pool.brandIds());
  }

  @Authorized("ReadPrivacyBudgets")
  @Query(() => PrivacyBudget, { description: "Your brand's pool-wide cap this period: epsilon released to all partners together." })
  poolBudget(): Promise<PrivacyBudget> {
    return this.budgets.poolCap();
  }

  @Authorized("ManagePrivacyBudgets")
  @Mutation(() => PartnerPrivacyBudget, {
    description: "Sets one partner's monthly quota at your brand: lower than the default (10) or higher up to the platform ceiling (20). Audited.",
  })
  async setPrivacyBudget(
    @Arg("requesterBrandId", () => ID) requesterBrandId: string,
    @Arg("epsilonTotal", () => Float) epsilonTotal: number,
    @Ctx() context: RequestContext,
  ): Promise<PartnerPrivacyBudget> {
    await this.pool.requireReady();
    return this.budgets.setQuota(principalActor(await context.principal()), requesterBrandId, epsilonTotal, this.pool.brandIds());
  }

  @Authorized("ManagePrivacyBudgets")
  @Mutation(() => PrivacyBudget, { description: "Sets your brand's monthly pool-wide cap, at most the platform default (50). Audited." })
  async setPoolBudget(@Arg("epsilonTotal", () => Float) epsilonTotal: number, @Ctx() context: RequestContext): Promise<PrivacyBudget> {
    return this.budgets.setPoolCap(principalActor(await context.principal()), epsilonTotal);
  }
}
