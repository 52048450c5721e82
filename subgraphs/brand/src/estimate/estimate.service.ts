import type pg from "pg";
import { and, count } from "drizzle-orm";
import { AppError } from "@brandpool/errors";
import { questionKey } from "@brandpool/tag-expression";
import { principalActor } from "@brandpool/policy";
import type { Principal } from "@brandpool/policy";
import { members } from "../db/member.table.js";
import { withTransaction } from "../db/transaction.js";
import type { NodeAudit } from "../audit/node-audit.service.js";
import { consentCondition } from "../members/expression.sql.js";
import type { MemberService } from "../members/member.service.js";
import { exactCommitment, parseEpsilon, releaseCount } from "../privacy/index.js";
import type { OutreachChannel } from "./audience-estimate.type.js";
import type { AudienceEstimate } from "./audience-estimate.type.js";
import { monthIn } from "./period.js";
import { PrivacyAnswerRepository } from "./privacy-answer.repository.js";

export interface EstimateSettings {
  brandId: string;
  secret: string;
  timeZone: string;
  threshold: number;
  epsilon: string;
}

/**
 * Answers "how many of your members match" through the privacy layer: exact discrete Laplace
 * noise keyed by (node secret, normalised question, month) with no requester in the key, the
 * k threshold on the noisy count, and one stored answer per question and month.
 */
export class EstimateService {
  constructor(
    private readonly settings: EstimateSettings,
    private readonly pool: pg.Pool,
    private readonly memberService: MemberService,
    private readonly audit: NodeAudit,
  ) {}

  async estimate(principal: Principal, expression: string, channel: OutreachChannel | null): Promise<AudienceEstimate> {
    const { expr, condition, sensitive } = await this.memberService.resolveExpression(expression);
    if (sensitive.length > 0) {
      throw new AppError("SENSITIVE_TAG", `Sensitive tags cannot be asked about: ${sensitive.join(", ")}.`, { tags: sensitive });
    }
    const key = questionKey(expr, channel);
    const period = monthIn(this.settings.timeZone);
    const requester = principal.kind === "user" || principal.kind === "node" ? (principal.brand?.id ?? null) : null;
    if (!requester) throw new AppError("FORBIDDEN");
    const epsilon = parseEpsilon(this.settings.epsilon);

    const result = await withTransaction(this.pool, async (tx) => {
      const answers = new PrivacyAnswerRepository(tx.db);
      await answers.lockQuestion(key, period);
      let stored = await answers.find(key, period);
      const repeated = stored !== undefined;
      if (!stored) {
        const where = channel ? and(condition, consentCondition(channel)) : condition;
        const [row] = await tx.db.select({ n: count() }).from(members).where(where);
        const exact = row?.n ?? 0;
        const released = releaseCount({ secret: this.settings.secret, questionKey: key, period, exact, epsilon, threshold: this.settings.threshold });
        stored = await answers.store(
          {
            questionKey: key,
            period,
            epsilon: this.settings.epsilon,
            exactCount: exact,
            noisyCount: released.noisy,
            threshold: released.threshold,
            margin95: released.margin95,
          },
          requester,
        );
      }
      const belowThreshold = stored.noisyCount < stored.threshold;
      const answer: AudienceEstimate = {
        count: belowThreshold ? null : stored.noisyCount,
        belowThreshold,
        threshold: stored.threshold,
        margin95: stored.margin95,
        epsilon: Number(stored.epsilon),
        period,
        repeated,
      };
      const common = { owner: this.settings.brandId, requester, question: key, period, repeated };
      await this.audit.record(
        tx,
        {
          type: "estimate.answered",
          actor: principalActor(principal),
          subject: { kind: "brand", brand: this.settings.brandId },
          // The owner's log holds the exact figure; the coordinator's only the released one.
          payload: { ...common, exact: stored.exactCount, noisy: stored.noisyCount, threshold: stored.threshold },
        },
        {
          type: "estimate.answered",
          payload: {
            ...common,
            actor: principalActor(principal),
            released: answer.count,
            belowThreshold,
            threshold: answer.threshold,
            margin95: answer.margin95,
            epsilon: answer.epsilon,
            exactCommitment: exactCommitment(this.settings.secret, key, period, stored.exactCount),
          },
        },
      );
      return answer;
    });
    this.audit.pushSoon();
    return result;
  }
}
