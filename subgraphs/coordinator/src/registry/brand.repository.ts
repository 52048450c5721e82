import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { brands } from "../db/brand.table.js";

export type BrandRecord = typeof brands.$inferSelect;

export class BrandRepository {
  constructor(private readonly db: Database) {}

  all(): Promise<BrandRecord[]> {
    return this.db.select().from(brands).orderBy(asc(brands.id));
  }

  async find(id: string): Promise<BrandRecord | undefined> {
    const [row] = await this.db.select().from(brands).where(eq(brands.id, id));
    return row;
  }

  /** Locks the row for the rest of the transaction (a change and its audit event go together). */
  async findForUpdate(id: string): Promise<BrandRecord | undefined> {
    const [row] = await this.db.select().from(brands).where(eq(brands.id, id)).for("update");
    return row;
  }

  async insert(row: typeof brands.$inferInsert): Promise<BrandRecord | undefined> {
    const [inserted] = await this.db.insert(brands).values(row).onConflictDoNothing().returning();
    return inserted;
  }

  async update(id: string, changes: Partial<typeof brands.$inferInsert>): Promise<BrandRecord> {
    const [row] = await this.db.update(brands).set({ ...changes, updatedAt: sql`now()` }).where(eq(brands.id, id)).returning();
    return row as BrandRecord;
  }
}
