import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { privacyAnswers, privacySpend } from "../db/privacy.table.js";

export type StoredAnswer = typeof privacyAnswers.$inferSelect;

export class PrivacyAnswerRepository {
  constructor(private readonly db: Database) {}

  /** Serialises the first answer to one question in one period (transaction-scoped lock). */
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

  async store(answer: typeof privacyAnswers.$inferInsert, requesterBrand: string): Promise<StoredAnswer> {
    const [row] = await this.db.insert(privacyAnswers).values(answer).returning();
    await this.db.insert(privacySpend).values({
      requesterBrand,
      period: answer.period,
      questionKey: answer.questionKey,
      epsilon: answer.epsilon,
    });
    return row as StoredAnswer;
  }
}
