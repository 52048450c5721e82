import { desc, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { outreachMinimum, sharingRules } from "../db/sharing-rules.table.js";

export type SharingRulesRecord = typeof sharingRules.$inferSelect;

/** The saved versions of the owner's rules (newest in force) and its minimum outreach audience. */
export class SharingRulesRepository {
  constructor(private readonly db: Database) {}

  async current(): Promise<SharingRulesRecord | undefined> {
    const [row] = await this.db.select().from(sharingRules).orderBy(desc(sharingRules.version)).limit(1);
    return row;
  }

  /** Only the newest version's number: what a decision reads to know whether its cache is current. */
  async currentVersion(): Promise<number> {
    const [row] = await this.db.select({ version: sql<number>`coalesce(max(${sharingRules.version}), 0)::int` }).from(sharingRules);
    return row?.version ?? 0;
  }

  async find(version: number): Promise<SharingRulesRecord | undefined> {
    const [row] = await this.db.select().from(sharingRules).where(sql`${sharingRules.version} = ${version}`);
    return row;
  }

  /** Saves a new version after the newest one; the caller holds the table's lock (`lockForChange`). */
  async append(policies: string, hash: string, savedBy: string): Promise<SharingRulesRecord> {
    const next = (await this.currentVersion()) + 1;
    const [row] = await this.db.insert(sharingRules).values({ version: next, policies, hash, savedBy }).returning();
    if (!row) throw new Error("a new sharing rules version was not stored");
    return row;
  }

  /** Serialises changes: two admins saving at once get versions n+1 and n+2, never both n+1. */
  async lockForChange(): Promise<void> {
    await this.db.execute(sql`LOCK TABLE ${sharingRules} IN SHARE ROW EXCLUSIVE MODE`);
  }

  async minimum(defaultMinimum: number): Promise<number> {
    const [row] = await this.db.select({ minimum: outreachMinimum.minimum }).from(outreachMinimum);
    return row?.minimum ?? defaultMinimum;
  }

  async setMinimum(minimum: number): Promise<void> {
    await this.db
      .insert(outreachMinimum)
      .values({ id: 1, minimum })
      .onConflictDoUpdate({ target: outreachMinimum.id, set: { minimum, updatedAt: new Date() } });
  }
}
