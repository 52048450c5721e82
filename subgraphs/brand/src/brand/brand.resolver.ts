import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { AppError } from "@brandpool/errors";
import type { EstimateService } from "../estimate/estimate.service.js";
import { AudienceEstimate, OutreachChannel } from "../estimate/audience-estimate.type.js";
import type { PoolView } from "../pool/pool-view.service.js";
import type { PrivacyBudgetService } from "../privacy-ledger/index.js";
import { PrivacyBudget } from "../privacy-ledger/privacy-budget.type.js";
import type { RequestContext } from "../auth/request-context.js";
import { Brand } from "./brand.type.js";

@Resolver(() => Brand)
export class BrandResolver {
  constructor(
    private readonly estimates: EstimateService,
    private readonly pool: PoolView,
    private readonly budgets: PrivacyBudgetService,
  ) {}

  @Authorized("EstimateAudience")
  // Nullable, like every field another brand's node answers: one node down or refusing leaves
  // the other brands' answers in the same query intact.
  @FieldResolver(() => AudienceEstimate, {
    nullable: true,
    description: "How many of this brand's members match, through its privacy layer (costs epsilon on a new question).",
  })
  async audienceEstimate(
    @Root() _brand: Brand,
    @Arg("expression", () => String) expression: string,
    @Arg("channel", () => OutreachChannel, { nullable: true }) channel: OutreachChannel | null,
    @Ctx() context: RequestContext,
  ): Promise<AudienceEstimate> {
    await this.pool.requireReady();
    return this.estimates.estimate(await context.principal(), context, expression, channel ?? null);
  }

  @Authorized("EstimateAudience")
  @FieldResolver(() => PrivacyBudget, {
    nullable: true,
    description: "Your brand's privacy quota at this brand this period: what new questions may still cost.",
  })
  async privacyBudget(@Root() _brand: Brand, @Ctx() context: RequestContext): Promise<PrivacyBudget> {
    await this.pool.requireReady();
    const principal = await context.principal();
    const requester = principal.kind === "user" || principal.kind === "node" ? principal.brand?.id : undefined;
    if (!requester) throw new AppError("FORBIDDEN");
    return this.budgets.quotaOf(requester);
  }
}
