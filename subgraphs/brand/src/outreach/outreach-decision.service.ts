import type pg from "pg";
import { z } from "zod";
import { AppError, isAppError } from "@brandpool/errors";
import type { NodeAudit } from "../audit/node-audit.service.js";
import { withTransaction } from "../db/transaction.js";
import type { Transaction } from "../db/transaction.js";
import type { TargetStatus } from "../db/incoming-request.table.js";
import type { BudgetLimits } from "../privacy-ledger/budget-limits.js";
import { reserveOutreachResults } from "../privacy-ledger/reserve-outreach-results.js";
import { actorOf, authorOf, decidedKindOf } from "./decision-step.js";
import type { Decider, DecisionRule, OutreachDecisionInput } from "./decision-step.js";
import { IncomingRequestRepository } from "./incoming-request.repository.js";
import type { IncomingRequestRecord } from "./incoming-request.repository.js";
import { linkDomainRefusal } from "./link-allow-list.js";
import type { LinkAllowList } from "./link-allow-list.js";
import { setTargetStatus } from "./target-status.js";

/** The longest decline reason kept (the owner's note, not a letter). */
export const MAX_REASON_CHARACTERS = 500;

const DecisionSchema = z.object({
  requestId: z.string().uuid(),
  contentHash: z.string().min(1).max(200),
  decision: z.enum(["APPROVE", "DECLINE"]),
  reason: z.string().trim().min(1).max(MAX_REASON_CHARACTERS).nullish(),
  cap: z.number().int().nullish(),
});

export interface DecisionOutcome {
  brandId: string;
  status: TargetStatus;
  /** The decline reason, for the owner's people; the requester never receives it. */
  reason: string | null;
}

export interface DecisionSettings {
  brandId: string;
  timeZone: string;
  budgets: BudgetLimits;
  links: LinkAllowList;
  /**
   * When an automatic decline is told to the requester: drawn like a person's response time, so
   * that it cannot be told from an approver's (`rules/release-delay.ts`). Default: at once.
   */
  releaseAt?: (request: IncomingRequestRecord, now: Date) => Date;
}

/**
 * The decision step of the owner's node, the one way a request leaves PENDING by decision:
 * a person (after Cedar) or a rule decides against the stored content hash, and in one
 * transaction the checks, the results' budget reservation (approvals) and the status move
 * (setTargetStatus: the owner's event and the coordinator's `outreach.status`) all commit or
 * none does. `onStored` is the hook the pull calls for each new request: the rules come first
 * (the minimum audience, then the owner's Cedar rules), and what none decides waits for its approver.
 */
export class OutreachDecisions {
  constructor(
    private readonly settings: DecisionSettings,
    private readonly pool: pg.Pool,
    private readonly audit: Pick<NodeAudit, "record" | "pushSoon">,
    private readonly rules: readonly DecisionRule[] = [],
  ) {}

  async decide(input: OutreachDecisionInput, decider: Decider): Promise<DecisionOutcome> {
    const outcome = await withTransaction(this.pool, (tx) => this.decideIn(tx, input, decider));
    this.audit.pushSoon();
    return outcome;
  }

  /** Called in the transaction that stored a new request; the first rule with a conclusion decides. */
  async onStored(tx: Transaction, request: IncomingRequestRecord): Promise<void> {
    for (const rule of this.rules) {
      const found = await rule.conclude(tx, request);
      if (!found) continue;
      const { ruleId, ...conclusion } = found;
      // A rule's decision that the checks refuse (a link off the list, a budget that cannot cover
      // it) leaves the request to the approver: undone to the savepoint, the copy still stored.
      await tx.client.query("SAVEPOINT rule_decision");
      try {
        await this.decideIn(tx, { ...conclusion, requestId: request.requestId, contentHash: request.contentHash }, { kind: "rule", ruleId, by: rule.by });
        await tx.client.query("RELEASE SAVEPOINT rule_decision");
      } catch (error) {
        await tx.client.query("ROLLBACK TO SAVEPOINT rule_decision");
        if (!isAppError(error)) throw error;
      }
      return;
    }
  }

  private async decideIn(tx: Transaction, input: OutreachDecisionInput, decider: Decider): Promise<DecisionOutcome> {
    const parsed = DecisionSchema.safeParse(input);
    if (!parsed.success) {
      throw new AppError("BAD_INPUT", "The decision is not valid.", {
        fields: parsed.error.issues.map((issue) => ({ field: issue.path.join("."), reason: issue.message })),
      });
    }
    const value = parsed.data;
    const request = await new IncomingRequestRepository(tx.db).lock(value.requestId);
    if (!request) throw new AppError("NOT_FOUND", "No such outreach request at this brand.");
    if (request.contentHash !== value.contentHash) {
      throw new AppError("CONFLICT", "The request's content hash is not the one you decided on: read the request again.", { reason: "HASH_MISMATCH" });
    }
    if (request.status !== "PENDING") {
      throw new AppError("CONFLICT", `The request is ${request.status}: only a PENDING request can be decided.`, { reason: "NOT_PENDING", status: request.status });
    }
    if (request.expiresAt.getTime() <= Date.now()) {
      throw new AppError("CONFLICT", "The request has expired and can no longer be decided.", { reason: "EXPIRED" });
    }
    return value.decision === "APPROVE" ? this.approve(tx, request, value, decider) : this.decline(tx, request, value, decider);
  }

  private async approve(tx: Transaction, request: IncomingRequestRecord, value: z.infer<typeof DecisionSchema>, decider: Decider): Promise<DecisionOutcome> {
    if (value.reason) throw badField("reason", "is kept only for a decline");
    const cap = value.cap ?? request.maxRecipients;
    if (cap < 1 || cap > request.maxRecipients) throw badField("cap", `must be between 1 and the requested ${request.maxRecipients}`);
    const refused = await this.settings.links.refusedDomains({ message: request.message, subject: request.subject }, { requester: request.requesterBrand, channel: request.channel });
    if (refused.length > 0) throw linkDomainRefusal(refused);
    // Before the move: a reservation the budget cannot cover throws, and nothing is written.
    const reservation = await reserveOutreachResults(tx, this.settings, request.requesterBrand, request.requestId);
    await this.move(tx, request, "APPROVED", decider, {
      set: { approvedCap: cap },
      ownerPayload: { cap, contentHash: request.contentHash, epsilonReserved: reservation.epsilon, period: reservation.period },
    });
    return { brandId: this.settings.brandId, status: "APPROVED", reason: null };
  }

  private async decline(tx: Transaction, request: IncomingRequestRecord, value: z.infer<typeof DecisionSchema>, decider: Decider): Promise<DecisionOutcome> {
    if (value.cap !== null && value.cap !== undefined) throw badField("cap", "is given only with an approval");
    const reason = value.reason ?? null;
    // An automatic decline is held: the requester (its status here, the coordinator's event) hears
    // of it only at a time drawn like a person's response, so it looks like any other decline.
    const releaseAt = decider.kind === "rule" ? (this.settings.releaseAt?.(request, new Date()) ?? new Date()) : null;
    // The reason stays in the owner's row and log; the coordinator hears DECLINED and nothing else.
    await this.move(tx, request, "DECLINED", decider, {
      set: { declineReason: reason, releaseAt },
      ownerPayload: { contentHash: request.contentHash, ...(reason ? { reason } : {}), ...(releaseAt ? { releaseAt: releaseAt.toISOString() } : {}) },
      held: releaseAt !== null,
    });
    return { brandId: this.settings.brandId, status: "DECLINED", reason };
  }

  private async move(
    tx: Transaction,
    request: IncomingRequestRecord,
    to: "APPROVED" | "DECLINED",
    decider: Decider,
    extra: { set: Parameters<typeof setTargetStatus>[2]["set"]; ownerPayload: Record<string, string | number>; held?: boolean },
  ): Promise<void> {
    const moved = await setTargetStatus(tx, this.audit, {
      requestId: request.requestId,
      from: ["PENDING"],
      to,
      actor: actorOf(decider),
      set: { ...extra.set, decidedBy: authorOf(decider), decidedAt: new Date(), decidedKind: decidedKindOf(decider) },
      ownerPayload: { ...extra.ownerPayload, decidedBy: decider.kind, ...(decider.kind === "rule" ? { rule: decider.ruleId, by: decider.by } : {}) },
      held: extra.held ?? false,
    });
    // The row is locked since the checks: only a bug could make this happen.
    if (!moved) throw new Error("a locked PENDING request did not move");
  }
}

function badField(field: string, reason: string): AppError {
  return new AppError("BAD_INPUT", `${field} ${reason}.`, { fields: [{ field, reason }] });
}
