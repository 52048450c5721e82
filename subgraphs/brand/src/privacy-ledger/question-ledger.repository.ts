import { createHash } from "node:crypto";
import type pg from "pg";
import { inlineParameters } from "@brandpool/postgres";
import type { Epsilon } from "./privacy-budget.repository.js";
import type { StoredAnswer } from "./privacy-answer.repository.js";

/**
 * The advisory lock that serialises everything about one question in one period, as a signed
 * 64-bit integer (the first 8 bytes of SHA-256 of "<period> <key>"): computed here rather than by
 * `hashtextextended` in SQL, so the lock can go out as digits with the transaction's BEGIN.
 */
export function questionLockId(questionKey: string, period: string): bigint {
  return createHash("sha256").update(`${period} ${questionKey}`).digest().readBigInt64BE(0);
}

/** The question's lock as a statement without parameters (the lock id holds only digits and a sign). */
export function questionLockSql(questionKey: string, period: string): string {
  return `SELECT pg_advisory_xact_lock(${questionLockId(questionKey, period).toString()})`;
}

/** What the ledger needs to know about a question before it counts, read in one statement. */
export interface QuestionState {
  /** The owner's quota for this requester, or null (the default applies). */
  quotaTotal: Epsilon | null;
  /** The owner's pool-wide cap, or null (the default applies). */
  poolTotal: Epsilon | null;
  quotaSpent: Epsilon;
  poolSpent: Epsilon;
  /** This requester received this question's answer in the period. */
  received: boolean;
  stored: StoredAnswer | undefined;
}

interface StateRow {
  quota_total: string | null;
  pool_total: string | null;
  quota_spent: string | null;
  pool_spent: string | null;
  received: boolean;
  question_key: string | null;
  epsilon: string | null;
  exact_count: string | null;
  noisy_count: string | null;
  threshold: number | null;
  margin95: number | null;
  answered_at: Date | null;
}

// Named statements: parsed and planned once per connection.
const STATE = {
  name: "privacy-ledger-question-state",
  text: `SELECT
    (SELECT epsilon_total FROM privacy_quotas WHERE requester_brand = $1) AS quota_total,
    (SELECT epsilon_total FROM privacy_pool_cap LIMIT 1) AS pool_total,
    (SELECT epsilon_spent FROM privacy_quota_usage WHERE requester_brand = $1 AND period = $3) AS quota_spent,
    (SELECT epsilon_spent FROM privacy_pool_usage WHERE period = $3) AS pool_spent,
    EXISTS (SELECT 1 FROM privacy_spend WHERE requester_brand = $1 AND period = $3 AND question_key = $2) AS received,
    a.question_key, a.epsilon, a.exact_count, a.noisy_count, a.threshold, a.margin95, a.answered_at
  FROM (SELECT 1) AS one
  LEFT JOIN privacy_answers AS a ON a.question_key = $2 AND a.period = $3`,
};

// A charge adds `cost` when the spend stays within the total, as one upsert: the row lock of a
// concurrent charge makes this one wait and re-check, so concurrent questions never overspend.
const CHARGE_QUOTA = `INSERT INTO privacy_quota_usage AS u (requester_brand, period, epsilon_spent)
    SELECT $1, $2, $3::numeric WHERE $3::numeric <= $4::numeric
    ON CONFLICT (requester_brand, period) DO UPDATE SET epsilon_spent = u.epsilon_spent + EXCLUDED.epsilon_spent
      WHERE u.epsilon_spent + EXCLUDED.epsilon_spent <= $4::numeric
    RETURNING epsilon_spent`;
const RECEIPT = `INSERT INTO privacy_spend (requester_brand, period, question_key, epsilon) VALUES ($1, $2, $6, $3::numeric)`;

const CHARGE_STORED = {
  name: "privacy-ledger-charge-stored",
  text: `WITH quota AS (${CHARGE_QUOTA}), receipt AS (${RECEIPT})
    SELECT (SELECT epsilon_spent FROM quota) AS quota_spent, CASE WHEN false THEN $5::numeric END AS pool_spent, NULL::timestamptz AS answered_at`,
};

const CHARGE_NEW = {
  name: "privacy-ledger-charge-new",
  text: `WITH quota AS (${CHARGE_QUOTA}),
    pool AS (
      INSERT INTO privacy_pool_usage AS p (period, epsilon_spent)
      SELECT $2, $3::numeric WHERE $3::numeric <= $5::numeric
      ON CONFLICT (period) DO UPDATE SET epsilon_spent = p.epsilon_spent + EXCLUDED.epsilon_spent
        WHERE p.epsilon_spent + EXCLUDED.epsilon_spent <= $5::numeric
      RETURNING epsilon_spent
    ),
    answer AS (
      INSERT INTO privacy_answers (question_key, period, epsilon, exact_count, noisy_count, threshold, margin95)
      VALUES ($6, $2, $7::numeric, $8, $9, $10, $11)
      RETURNING answered_at
    ),
    receipt AS (${RECEIPT})
    SELECT (SELECT epsilon_spent FROM quota) AS quota_spent, (SELECT epsilon_spent FROM pool) AS pool_spent, (SELECT answered_at FROM answer) AS answered_at`,
};

/**
 * The question's state read as a statement without parameters, for a simple query (the
 * transaction's BEGIN, after the question's lock): `questionStateOf` reads its rows.
 */
export function questionStateSql(requesterBrand: string, questionKey: string, period: string): string {
  return inlineParameters(STATE.text, [requesterBrand, questionKey, period]);
}

/** The state from the rows of the state statement (named, or `questionStateSql`'s). */
export function questionStateOf(rows: readonly unknown[], period: string): QuestionState {
  const row = rows[0] as StateRow | undefined;
  if (!row) throw new Error("the question's state returned no row");
  return {
    quotaTotal: row.quota_total,
    poolTotal: row.pool_total,
    quotaSpent: row.quota_spent ?? "0",
    poolSpent: row.pool_spent ?? "0",
    received: row.received,
    stored:
      row.question_key === null
        ? undefined
        : {
            questionKey: row.question_key,
            period,
            epsilon: row.epsilon as string,
            exactCount: Number(row.exact_count),
            noisyCount: Number(row.noisy_count),
            threshold: row.threshold as number,
            margin95: row.margin95 as number,
            answeredAt: row.answered_at as Date,
          },
  };
}

/** What a charge did: the new spends, null where the budget would have been overspent. */
export interface Charged {
  quotaSpent: Epsilon | null;
  poolSpent: Epsilon | null;
  /** The new answer, when one was stored. */
  stored: StoredAnswer | null;
}

type NewAnswer = Omit<StoredAnswer, "answeredAt">;

/**
 * The privacy ledger's statements on the hot path, in raw SQL over the transaction's client: a
 * question costs three round trips here (its state; its charge, answer and receipt together) in
 * place of a dozen. Runs in the ledger's transaction, after the question's lock.
 */
export class QuestionLedgerRepository {
  constructor(private readonly client: pg.ClientBase) {}

  async state(requesterBrand: string, questionKey: string, period: string): Promise<QuestionState> {
    const { rows } = await this.client.query<StateRow>({ ...STATE, values: [requesterBrand, questionKey, period] });
    return questionStateOf(rows, period);
  }

  /**
   * Charges the requester's quota `cost` (within `quotaTotal`) and records its receipt; with
   * `answer`, also charges the owner's pool cap (within `poolTotal`) and stores the answer. The
   * caller rolls the transaction back when a spend comes back null.
   */
  async charge(args: {
    requesterBrand: string;
    questionKey: string;
    period: string;
    cost: Epsilon;
    quotaTotal: Epsilon;
    poolTotal: Epsilon;
    answer: NewAnswer | null;
  }): Promise<Charged> {
    const common = [args.requesterBrand, args.period, args.cost, args.quotaTotal, args.poolTotal, args.questionKey];
    const answer = args.answer;
    const statement = answer
      ? { ...CHARGE_NEW, values: [...common, answer.epsilon, answer.exactCount, answer.noisyCount, answer.threshold, answer.margin95] }
      : { ...CHARGE_STORED, values: common };
    const { rows } = await this.client.query<{ quota_spent: string | null; pool_spent: string | null; answered_at: Date | null }>(statement);
    const row = rows[0];
    if (!row) throw new Error("the charge returned no row");
    return {
      quotaSpent: row.quota_spent,
      poolSpent: row.pool_spent,
      stored: answer && row.answered_at ? { ...answer, answeredAt: row.answered_at } : null,
    };
  }
}
