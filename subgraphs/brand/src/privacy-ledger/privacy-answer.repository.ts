import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { privacyAnswers, privacySpend } from "../db/privacy.table.js";

export type StoredAnswer = typeof privacyAnswers.$inferSelect;

/** Stored answers and who received them. Runs in the ledger's transaction. */
export class PrivacyAnswerRepository {
  constructor(private readonly db: Database) {}

  /** Serialises everything about one question in one period (transaction-scoped lock). */
  async lockQuestion(questionKey: string, period: string): Promise<void> {
    await this.db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${period} ${questionKey}`}, 0))`);
  }

  async find(questionKey: string, period: string): Promise<StoredAnswer | undefined> {
    const [row] = await this.db
      .select()
      .from(privacyAnswers)
      .where(and(eq(privacyAnswers.questionKey, questionKey), eq(privacyAnswers.period, period)));
    return row;
  }

  async store(answer: typeof privacyAnswers.$inferInsert): Promise<StoredAnswer> {
    const [row] = await this.db.insert(privacyAnswers).values(answer).returning();
    return row as StoredAnswer;
  }

  /** Whether this requester brand has received this answer in this period. */
  async received(requesterBrand: string, questionKey: string, period: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: privacySpend.id })
      .from(privacySpend)
      .where(and(eq(privacySpend.requesterBrand, requesterBrand), eq(privacySpend.questionKey, questionKey), eq(privacySpend.period, period)));
    return row !== undefined;
  }

  async recordReceipt(receipt: { requesterBrand: string; questionKey: string; period: string; epsilon: string }): Promise<void> {
    await this.db.insert(privacySpend).values(receipt);
  }
}
