import { Authorized, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../auth/request-context.js";
import { SharingDecisionPreview } from "../rules/sharing-rules.type.js";
import type { OutreachReviewService } from "./outreach-review.service.js";
import { OutreachTarget } from "./outreach-target.type.js";

/**
 * What the owner's approver reads beside a request addressed to it: answered by the target's own
 * node from its own data, to its own approvers and admins only (Cedar DecideOutreach: the
 * requester, the owner's analysts and auditors, and every other brand are refused, FORBIDDEN).
 */
@Resolver(() => OutreachTarget)
export class OutreachReviewResolver {
  constructor(private readonly review: OutreachReviewService) {}

  @Authorized("DecideOutreach")
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "Exactly how many of your members the request may reach now (matching, consenting on its channel, reachable, under the frequency caps): your own figure, for your approvers and admins only; null before your node holds the copy.",
  })
  async exactAudience(@Root() target: OutreachTarget, @Ctx() context: RequestContext): Promise<number | null> {
    return this.review.audience(await context.principal(), target.requestId);
  }

  @Authorized("DecideOutreach")
  @FieldResolver(() => SharingDecisionPreview, {
    nullable: true,
    description: "What your sharing rules in force would decide of this request if it arrived now (nothing changes): for your approvers and admins only.",
  })
  async rulesDecision(@Root() target: OutreachTarget, @Ctx() context: RequestContext): Promise<SharingDecisionPreview | null> {
    return this.review.rulesDecision(await context.principal(), target.requestId);
  }

  @Authorized("DecideOutreach")
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "When sending would start if approved now (ISO 8601): the send-after time or now, moved past your quiet hours and your rules' quiet time; null once it cannot be sent. For your approvers and admins only.",
  })
  async sendsAt(@Root() target: OutreachTarget, @Ctx() context: RequestContext): Promise<string | null> {
    return (await this.review.sendsAt(await context.principal(), target.requestId))?.toISOString() ?? null;
  }
}
