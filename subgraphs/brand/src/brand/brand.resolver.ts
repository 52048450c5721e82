import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { EstimateService } from "../estimate/estimate.service.js";
import { AudienceEstimate, OutreachChannel } from "../estimate/audience-estimate.type.js";
import type { NodeAudit } from "../audit/node-audit.service.js";
import type { PoolView } from "../pool/pool-view.service.js";
import type { RequestContext } from "../auth/request-context.js";
import { AuditChainVerification } from "@brandpool/service";
import { Brand } from "./brand.type.js";

@Resolver(() => Brand)
export class BrandResolver {
  constructor(
    private readonly estimates: EstimateService,
    private readonly audit: NodeAudit,
    private readonly pool: PoolView,
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
    return this.estimates.estimate(await context.principal(), expression, channel ?? null);
  }

  @Authorized("ReadBrandAudit")
  @FieldResolver(() => AuditChainVerification, { nullable: true, description: "Checks this brand node's own audit log." })
  verifyAuditChain(@Root() _brand: Brand): Promise<AuditChainVerification> {
    return this.audit.verify();
  }
}
