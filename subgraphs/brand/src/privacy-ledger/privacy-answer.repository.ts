import type { Database } from "../db/database.js";
import { privacyAnswers, privacySpend } from "../db/privacy.table.js";

export type StoredAnswer = typeof privacyAnswers.$inferSelect;

/**
 * Who received what. Runs in the ledger's transaction. The estimate's own reads and writes
 * (the question's state, its charge, answer and receipt) are in question-ledger.repository.ts.
 */
export class PrivacyAnswerRepository {
  constructor(private readonly db: Database) {}

  async recordReceipt(receipt: { requesterBrand: string; questionKey: string; period: string; epsilon: string }): Promise<void> {
    await this.db.insert(privacySpend).values(receipt);
  }
}
