import { performance } from "node:perf_hooks";
import type pg from "pg";
import { AppError } from "@brandpool/errors";
import type { JsonObject } from "@brandpool/audit-chain";
import { keyedQuestion } from "@brandpool/tag-expression";
import type { QuestionTaxonomy, TagExpression } from "@brandpool/tag-expression";
import { withTransaction } from "../db/transaction.js";
import type { Transaction } from "../db/transaction.js";
import { NodeAudit } from "../audit/node-audit.service.js";
import { auditTailOf } from "@brandpool/audit-chain";
import type { AuditTail } from "@brandpool/audit-chain";
import type { Channel } from "../members/expression.sql.js";
import { exactCommitment, margin95, parseEpsilon, releaseCount } from "../privacy/index.js";
import type { AudienceCounter } from "./audience-counter.js";
import type { BudgetLimits } from "./budget-limits.js";
import { monthIn, periodEnd } from "./budget-period.js";
import { minusAtLeastZero, toMicros } from "./epsilon-amount.js";
import type { StoredAnswer } from "./privacy-answer.repository.js";
import { QuestionLedgerRepository, questionLockId, questionLockSql, questionStateOf, questionStateSql } from "./question-ledger.repository.js";
import type { QuestionState } from "./question-ledger.repository.js";
import { OutreachResultsRepository } from "./outreach-results.repository.js";
import { MAX_OUTREACH_RESULT_RELEASES, OUTREACH_RESULT_UPDATE_HOURS, releaseOutreachResults } from "./release-outreach-results.js";
import type { OutreachResultsRelease } from "./release-outreach-results.js";

export interface PrivacyLedgerSettings {
  brandId: string;
  /** Keys the noise (HMAC-SHA256) and the commitments to exact figures. */
  secret: string;
  timeZone: string;
  /** k: noisy counts below it are released only as "fewer than k". */
  threshold: number;
  /** Epsilon of each new question, as a decimal string. */
  epsilon: string;
  budgets: BudgetLimits;
}

/** A question about this node's members from another brand (or its own, through the pool). */
export interface AudienceQuestion {
  /** The brand charged for the question, whichever of its users asks. */
  requesterBrand: string;
  /** Who asked, as audit events name principals. */
  actor: JsonObject;
  /** Parsed, every tag known to the taxonomy and none sensitive. */
  expression: TagExpression;
  channel: Channel | null;
  /** The request's stage clock (Server-Timing): gets `count`, and `ledger` for the rest of the transaction. */
  timings?: { add(stage: "ledger" | "count", ms: number): void } | null;
}

/** What the transaction's BEGIN read after its locks: the log's tail and the question's state. */
interface Opened {
  tail: AuditTail;
  state: QuestionState;
}

/** A figure released to another brand, with what it cost and what is left. */
export interface Release {
  count: number | null;
  belowThreshold: boolean;
  threshold: number;
  margin95: number;
  epsilon: number;
  period: string;
  /** This requester brand received this answer before in the period (never: someone else did). */
  repeated: boolean;
  epsilonSpent: number;
  budgetRemaining: number;
}

/**
 * The one way a figure leaves this node for another brand. In one transaction: the question's
 * key (by meaning, with the taxonomy's cardinalities), the stored answer of the period, the
 * budget charge (the requester's quota for every answer new to it, the owner's pool-wide cap
 * for every answer new to the pool), the exact count and its noise, the threshold, and the
 * events in the owner's log and for the coordinator's.
 */
export class PrivacyLedger {
  constructor(
    private readonly settings: PrivacyLedgerSettings,
    private readonly pool: pg.Pool,
    private readonly taxonomy: QuestionTaxonomy,
    private readonly counter: AudienceCounter,
    private readonly audit: NodeAudit,
  ) {}

  async release(question: AudienceQuestion): Promise<Release> {
    const keyed = keyedQuestion(question.expression, question.channel, this.taxonomy);
    const period = monthIn(this.settings.timeZone);
    // One round trip opens the transaction: BEGIN, the question's lock, the log's lock and tail,
    // and the question's state (each statement with its own snapshot, so both reads come after
    // both locks); the log's append ends it with its COMMIT. A stored answer is two round trips.
    const begin = {
      begin: ["BEGIN", questionLockSql(keyed.key, period), NodeAudit.lockedTailSql(), questionStateSql(question.requesterBrand, keyed.key, period)].join("; "),
    };
    const opened = (tx: Transaction): Opened => {
      const [tail, state] = tx.begun.slice(-2);
      if (!tail || !state) throw new Error("the ledger's BEGIN returned fewer results than it sent statements");
      return { tail: auditTailOf(tail.rows), state: questionStateOf(state.rows, period) };
    };
    const clock = question.timings;
    if (!clock) {
      const released = await withTransaction(this.pool, (tx) => this.releaseLocked(tx, question, keyed, period, opened(tx)), begin);
      this.audit.pushSoon();
      return released;
    }
    // The ledger's share is the whole transaction but the count (timed apart in releaseLocked).
    let countMs = 0;
    const counted = {
      add: (stage: "ledger" | "count", ms: number) => {
        if (stage === "count") countMs += ms;
        clock.add(stage, ms);
      },
    };
    const started = performance.now();
    const released = await withTransaction(this.pool, (tx) => this.releaseLocked(tx, { ...question, timings: counted }, keyed, period, opened(tx)), begin);
    clock.add("ledger", performance.now() - started - countMs);
    this.audit.pushSoon();
    return released;
  }

  /**
   * `release` inside the caller's transaction (the minimum-audience check when a request is
   * stored): the caller commits or rolls back the charge with its own work, and pushes after.
   */
  async releaseIn(tx: Transaction, question: AudienceQuestion): Promise<Release> {
    const keyed = keyedQuestion(question.expression, question.channel, this.taxonomy);
    const period = monthIn(this.settings.timeZone);
    await tx.client.query("SELECT pg_advisory_xact_lock($1::bigint)", [questionLockId(keyed.key, period).toString()]);
    return this.releaseLocked(tx, question, keyed, period);
  }

  /**
   * The ledger's work once the question's lock is held: the state (read here, or with the lock
   * and the log's tail in `opened`), the count and the charge of a new answer, and the audit
   * append, which with `opened` also commits.
   */
  private async releaseLocked(tx: Transaction, question: AudienceQuestion, keyed: { key: string; kind: string }, period: string, opened?: Opened): Promise<Release> {
    const { key, kind } = keyed;
    const ledger = new QuestionLedgerRepository(tx.client);
    const state = opened?.state ?? (await ledger.state(question.requesterBrand, key, period));
    const append = opened ? { lockedTail: opened.tail, commit: true } : {};
    const quotaTotal = state.quotaTotal ?? this.settings.budgets.pairQuota;
    // A question that selects nobody in every dataset tells nothing: "fewer than k", free.
    if (kind === "never") {
      const release = this.answer(null, period, false, "0", minusAtLeastZero(quotaTotal, state.quotaSpent));
      await this.record(tx, question, key, release, { exact: 0, noisy: null }, append);
      return release;
    }
    const repeated = state.received;
    let stored = state.stored;
    let cost = "0";
    let quotaSpent: string;
    if (repeated) {
      if (!stored) throw new Error("a receipt without its stored answer");
      quotaSpent = state.quotaSpent;
    } else {
      // New to this requester. The members are counted whether or not another brand asked first,
      // so that neither the cost nor the time taken tells the requester which it was; the count
      // runs before any budget row is locked (in `release` the log's lock is already held, so
      // this node's questions take turns through it: each holds it for its own round trips and
      // count, about 2 ms at a million members). Either way the charge is one statement.
      const countStarted = question.timings ? performance.now() : 0;
      const exact = await this.counter.count(tx.db, question.expression, question.channel);
      question.timings?.add("count", performance.now() - countStarted);
      // The answer's own epsilon is what it costs: the one its noise was drawn with.
      cost = stored?.epsilon ?? this.settings.epsilon;
      const poolTotal = state.poolTotal ?? this.settings.budgets.poolCap;
      // A stored answer adds nothing to the owner's loss, but serving it when the pool is spent
      // would tell the requester that someone else asked it.
      if (stored && toMicros(state.poolSpent) + toMicros(cost) > toMicros(poolTotal)) throw this.exhausted(period);
      const charged = await ledger.charge({
        requesterBrand: question.requesterBrand,
        questionKey: key,
        period,
        cost,
        quotaTotal,
        poolTotal,
        answer: stored ? null : this.newAnswer(key, period, exact),
      });
      if (charged.quotaSpent === null) throw this.exhausted(period);
      if (!stored) {
        if (charged.poolSpent === null || !charged.stored) throw this.exhausted(period);
        stored = charged.stored;
      }
      quotaSpent = charged.quotaSpent;
    }
    const release = this.answer(stored, period, repeated, cost, minusAtLeastZero(quotaTotal, quotaSpent));
    await this.record(tx, question, key, release, { exact: stored.exactCount, noisy: stored.noisyCount }, append);
    return release;
  }

  /**
   * Releases an outreach request's results to its requester when due (`release-outreach-results.ts`):
   * paid for by the reservation its approval charged, so it charges nothing here. Null when
   * nothing was due (not ended, not reserved, released today, or all releases made).
   */
  async releaseOutreachResults(requestId: string, now: Date = new Date()): Promise<OutreachResultsRelease | null> {
    const released = await withTransaction(this.pool, (tx) =>
      releaseOutreachResults(tx, { brandId: this.settings.brandId, secret: this.settings.secret, threshold: this.settings.threshold }, this.audit, requestId, now),
    );
    if (released) this.audit.pushSoon();
    return released;
  }

  /** Requests due a release of their results, oldest id first, at most `limit`. */
  dueOutreachResults(limit: number): Promise<string[]> {
    return withTransaction(this.pool, (tx) => new OutreachResultsRepository(tx.db).due(MAX_OUTREACH_RESULT_RELEASES, OUTREACH_RESULT_UPDATE_HOURS, limit));
  }

  /** The answer a new question gets: its noise drawn now, stored with the charge. */
  private newAnswer(key: string, period: string, exact: number): Omit<StoredAnswer, "answeredAt"> {
    const noisy = releaseCount({
      secret: this.settings.secret,
      questionKey: key,
      period,
      exact,
      epsilon: parseEpsilon(this.settings.epsilon),
      threshold: this.settings.threshold,
    });
    return {
      questionKey: key,
      period,
      epsilon: this.settings.epsilon,
      exactCount: exact,
      noisyCount: noisy.noisy,
      threshold: noisy.threshold,
      margin95: noisy.margin95,
    };
  }

  private answer(stored: StoredAnswer | null, period: string, repeated: boolean, cost: string, remaining: string): Release {
    // An owner that raised k since the answer was stored gets the stricter k on it at once.
    const threshold = Math.max(stored?.threshold ?? 0, this.settings.threshold);
    const belowThreshold = stored === null || stored.noisyCount < threshold;
    return {
      count: belowThreshold || !stored ? null : stored.noisyCount,
      belowThreshold,
      threshold,
      margin95: stored?.margin95 ?? margin95(Number(this.settings.epsilon)),
      epsilon: stored ? Number(stored.epsilon) : 0,
      period,
      repeated,
      epsilonSpent: Number(cost),
      budgetRemaining: Number(remaining),
    };
  }

  private async record(
    tx: Transaction,
    question: AudienceQuestion,
    key: string,
    release: Release,
    figures: { exact: number; noisy: number | null },
    append: { lockedTail?: AuditTail; commit?: boolean },
  ): Promise<void> {
    const common = { owner: this.settings.brandId, requester: question.requesterBrand, question: key, period: release.period, repeated: release.repeated };
    await this.audit.record(
      tx,
      {
        type: "estimate.answered",
        actor: question.actor,
        subject: { kind: "brand", brand: this.settings.brandId },
        // The owner's log holds the exact figure; the coordinator's only the released one.
        payload: { ...common, exact: figures.exact, noisy: figures.noisy, threshold: release.threshold, epsilonSpent: release.epsilonSpent },
      },
      {
        type: "estimate.answered",
        payload: {
          ...common,
          actor: question.actor,
          released: release.count,
          belowThreshold: release.belowThreshold,
          threshold: release.threshold,
          margin95: release.margin95,
          epsilon: release.epsilon,
          epsilonSpent: release.epsilonSpent,
          exactCommitment: exactCommitment(this.settings.secret, key, release.period, figures.exact),
        },
      },
      append,
    );
  }

  private exhausted(period: string): AppError {
    const refillsAt = periodEnd(this.settings.timeZone, period).toISOString();
    return new AppError("BUDGET_EXHAUSTED", `The privacy budget for questions at this brand is spent until ${refillsAt}.`, { refillsAt });
  }
}

