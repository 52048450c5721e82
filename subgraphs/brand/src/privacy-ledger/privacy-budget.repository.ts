import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { privacyPoolCap, privacyPoolUsage, privacyQuotaUsage, privacyQuotas } from "../db/privacy.table.js";

/** Epsilon amounts travel as decimal strings (Postgres numeric), so 100 charges of 0.1 make exactly 10. */
export type Epsilon = string;

export interface BudgetUsage {
  total: Epsilon;
  spent: Epsilon;
}

/**
 * Budgets in the owner's database. Totals are the owner's settings (or the defaults passed in);
 * spends are per period counters charged by one conditional UPDATE each, so concurrent
 * transactions can never overspend: the second waits for the first's row lock and re-checks.
 */
export class PrivacyBudgetRepository {
  constructor(private readonly db: Database) {}

  async quotaTotal(requesterBrand: string, fallback: Epsilon): Promise<Epsilon> {
    const [row] = await this.db.select({ total: privacyQuotas.epsilonTotal }).from(privacyQuotas).where(eq(privacyQuotas.requesterBrand, requesterBrand));
    return row?.total ?? fallback;
  }

  async quotaTotals(): Promise<Map<string, Epsilon>> {
    const rows = await this.db.select({ requester: privacyQuotas.requesterBrand, total: privacyQuotas.epsilonTotal }).from(privacyQuotas);
    return new Map(rows.map((row) => [row.requester, row.total]));
  }

  async poolTotal(fallback: Epsilon): Promise<Epsilon> {
    const [row] = await this.db.select({ total: privacyPoolCap.epsilonTotal }).from(privacyPoolCap);
    return row?.total ?? fallback;
  }

  async quotaSpent(requesterBrand: string, period: string): Promise<Epsilon> {
    const [row] = await this.db
      .select({ spent: privacyQuotaUsage.epsilonSpent })
      .from(privacyQuotaUsage)
      .where(and(eq(privacyQuotaUsage.requesterBrand, requesterBrand), eq(privacyQuotaUsage.period, period)));
    return row?.spent ?? "0";
  }

  async quotaSpends(period: string): Promise<Map<string, Epsilon>> {
    const rows = await this.db
      .select({ requester: privacyQuotaUsage.requesterBrand, spent: privacyQuotaUsage.epsilonSpent })
      .from(privacyQuotaUsage)
      .where(eq(privacyQuotaUsage.period, period));
    return new Map(rows.map((row) => [row.requester, row.spent]));
  }

  async poolSpent(period: string): Promise<Epsilon> {
    const [row] = await this.db.select({ spent: privacyPoolUsage.epsilonSpent }).from(privacyPoolUsage).where(eq(privacyPoolUsage.period, period));
    return row?.spent ?? "0";
  }

  /** Adds `cost` to the requester's spend if it stays within `total`; returns the new spend, or null (exhausted). */
  async chargeQuota(requesterBrand: string, period: string, cost: Epsilon, total: Epsilon): Promise<Epsilon | null> {
    await this.db.insert(privacyQuotaUsage).values({ requesterBrand, period }).onConflictDoNothing();
    const [row] = await this.db
      .update(privacyQuotaUsage)
      .set({ epsilonSpent: sql`${privacyQuotaUsage.epsilonSpent} + ${cost}::numeric` })
      .where(
        and(
          eq(privacyQuotaUsage.requesterBrand, requesterBrand),
          eq(privacyQuotaUsage.period, period),
          sql`${privacyQuotaUsage.epsilonSpent} + ${cost}::numeric <= ${total}::numeric`,
        ),
      )
      .returning({ spent: privacyQuotaUsage.epsilonSpent });
    return row?.spent ?? null;
  }

  /** The same for the owner's pool-wide cap. */
  async chargePool(period: string, cost: Epsilon, total: Epsilon): Promise<Epsilon | null> {
    await this.db.insert(privacyPoolUsage).values({ period }).onConflictDoNothing();
    const [row] = await this.db
      .update(privacyPoolUsage)
      .set({ epsilonSpent: sql`${privacyPoolUsage.epsilonSpent} + ${cost}::numeric` })
      .where(and(eq(privacyPoolUsage.period, period), sql`${privacyPoolUsage.epsilonSpent} + ${cost}::numeric <= ${total}::numeric`))
      .returning({ spent: privacyPoolUsage.epsilonSpent });
    return row?.spent ?? null;
  }

  async setQuotaTotal(requesterBrand: string, total: Epsilon): Promise<void> {
    await this.db
      .insert(privacyQuotas)
      .values({ requesterBrand, epsilonTotal: total })
      .onConflictDoUpdate({ target: privacyQuotas.requesterBrand, set: { epsilonTotal: total, updatedAt: sql`now()` } });
  }

  async setPoolTotal(total: Epsilon): Promise<void> {
    await this.db
      .insert(privacyPoolCap)
      .values({ id: 1, epsilonTotal: total })
      .onConflictDoUpdate({ target: privacyPoolCap.id, set: { epsilonTotal: total, updatedAt: sql`now()` } });
  }
}
