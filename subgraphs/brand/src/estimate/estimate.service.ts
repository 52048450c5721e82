import { AppError } from "@brandpool/errors";
import { principalActor } from "@brandpool/policy";
import type { Principal } from "@brandpool/policy";
import type { RequestContext } from "../auth/request-context.js";
import type { MemberService } from "../members/member.service.js";
import type { PrivacyLedger } from "../privacy-ledger/index.js";
import { principalKey } from "../rate-limit/per-principal-limiter.js";
import type { PerPrincipalLimiter } from "../rate-limit/per-principal-limiter.js";
import type { AudienceEstimate, OutreachChannel } from "./audience-estimate.type.js";

/**
 * Answers "how many of your members match": checks the rate and the expression (known tags,
 * none sensitive), then asks the privacy ledger, the only way a count leaves this node.
 */
export class EstimateService {
  constructor(
    private readonly members: MemberService,
    private readonly ledger: PrivacyLedger,
    private readonly limits: { perPrincipal: PerPrincipalLimiter; perBrand: PerPrincipalLimiter },
  ) {}

  /** `operation` is the operation's context: rates count it once, and its stage clock (if any) gets the ledger's times. */
  async estimate(principal: Principal, operation: RequestContext, expression: string, channel: OutreachChannel | null): Promise<AudienceEstimate> {
    const requesterBrand = principal.kind === "user" || principal.kind === "node" ? (principal.brand?.id ?? null) : null;
    if (!requesterBrand) throw new AppError("FORBIDDEN");
    // Per person and per brand: a brand runs its own issuer and can mint any number of subjects.
    await this.limits.perPrincipal.take(principalKey(principal), operation);
    await this.limits.perBrand.take(`brand:${requesterBrand}`, operation);
    const { expr, sensitive } = await this.members.resolveExpression(expression);
    if (sensitive.length > 0) {
      throw new AppError("SENSITIVE_TAG", `Sensitive tags cannot be asked about: ${sensitive.join(", ")}.`, { tags: sensitive });
    }
    return this.ledger.release({ requesterBrand, actor: principalActor(principal), expression: expr, channel, timings: operation.timings });
  }
}
