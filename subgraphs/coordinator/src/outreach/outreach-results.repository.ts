import { and, eq } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { outreachTargetResults } from "../db/outreach-target-result.table.js";

export type OutreachTargetResultRecord = typeof outreachTargetResults.$inferSelect;

export class OutreachResultsRepository {
  constructor(private readonly db: Database) {}

  async find(requestId: string, brandId: string): Promise<OutreachTargetResultRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(outreachTargetResults)
      .where(and(eq(outreachTargetResults.requestId, requestId), eq(outreachTargetResults.brandId, brandId)));
    return row;
  }
}
