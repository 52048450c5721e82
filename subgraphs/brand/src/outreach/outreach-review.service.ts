import { isAppError } from "@brandpool/errors";
import { parseTagExpression, tagKeysOf } from "@brandpool/tag-expression";
import type { Principal } from "@brandpool/policy";
import type { Database } from "../db/database.js";
import { expressionCondition } from "../members/expression.sql.js";
import type { TagDictionary } from "../pool/tag-dictionary.service.js";
import type { PreviewDecision, SharingRulesService } from "../rules/sharing-rules.service.js";
import { countEligible } from "../sending/select-recipients.js";
import { quietEnd } from "../sending/send-settings.js";
import type { SendSettings } from "../sending/send-settings.js";
import { IncomingRequestRepository } from "./incoming-request.repository.js";
import type { IncomingRequestRecord } from "./incoming-request.repository.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What the owner's approver reads beside a request to decide it, from the owner's own data: the
 * exact audience it may reach, what the owner's rules in force say of it, and when it would be
 * sent. For the owner's own people only (Cedar DecideOutreach guards the fields; this service
 * answers nothing to another brand even so): the exact count never leaves the node for another brand.
 */
export class OutreachReviewService {
  constructor(
    private readonly brandId: string,
    private readonly db: Database,
    private readonly rules: SharingRulesService,
    private readonly send: Pick<SendSettings, "quiet" | "rules" | "frequencyCap" | "frequencyWindowDays">,
    private readonly dictionary: TagDictionary,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async ownCopy(principal: Principal, requestId: string): Promise<IncomingRequestRecord | null> {
    if (principal.kind !== "user" || principal.brand?.id !== this.brandId || !UUID.test(requestId)) return null;
    return (await new IncomingRequestRepository(this.db).find(requestId)) ?? null;
  }

  /** Exactly how many members the request may reach now: matching, consenting, reachable, under the frequency caps. */
  async audience(principal: Principal, requestId: string): Promise<number | null> {
    const copy = await this.ownCopy(principal, requestId);
    if (!copy) return null;
    let expression;
    try {
      const parsed = parseTagExpression(copy.expression);
      expression = expressionCondition(parsed, this.dictionary.entries(tagKeysOf(parsed)));
    } catch (error) {
      // A tag the taxonomy lost since receipt selects nobody (as the send job would find).
      if (isAppError(error)) return 0;
      throw error;
    }
    const subject = { requestId, requester: copy.requesterBrand, channel: copy.channel };
    return countEligible(this.db, {
      channel: copy.channel,
      expression,
      frequencyCap: this.send.frequencyCap,
      frequencyWindowDays: this.send.frequencyWindowDays,
      extraLimits: (await this.send.rules?.frequencyLimits(subject, this.send.frequencyCap)) ?? [],
    });
  }

  /** What the rules in force would decide of the request if it arrived now (the dry run's function). */
  async rulesDecision(principal: Principal, requestId: string): Promise<PreviewDecision | null> {
    const copy = await this.ownCopy(principal, requestId);
    if (!copy) return null;
    return this.rules.conclude(await this.rules.inForce(), copy, this.now());
  }

  /**
   * When sending would start if approved now: its send-after time or now, moved past the node's
   * quiet hours and the rules' quiet time (the send job's own `quietEnd`). Null once it can no
   * longer be sent (expired, declined, cancelled, already sending or sent).
   */
  async sendsAt(principal: Principal, requestId: string): Promise<Date | null> {
    const copy = await this.ownCopy(principal, requestId);
    if (!copy || (copy.status !== "PENDING" && copy.status !== "APPROVED")) return null;
    const now = this.now();
    const start = copy.sendAfter > now ? copy.sendAfter : now;
    const at = (await quietEnd(this.send, { requestId, requester: copy.requesterBrand, channel: copy.channel }, start)) ?? start;
    return at < copy.expiresAt ? at : null;
  }
}
