import type pg from "pg";
import { AppError } from "@brandpool/errors";
import type { JsonObject } from "@brandpool/audit-chain";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/transaction.js";
import type { NodeAudit } from "../audit/node-audit.service.js";
import type { BudgetLimits } from "./budget-limits.js";
import { monthIn, periodEnd } from "./budget-period.js";
import { amountOfNumber, isGreater, minusAtLeastZero } from "./epsilon-amount.js";
import { PrivacyBudgetRepository } from "./privacy-budget.repository.js";

export interface BudgetView {
  /** What a question new to the requester this period costs here (the node's EPSILON). */
  epsilonPerQuestion: number;
  epsilonTotal: number;
  epsilonSpent: number;
  epsilonRemaining: number;
  /** When the period ends and the budget refills (ISO 8601). */
  periodEnd: string;
}

export interface PartnerBudgetView extends BudgetView {
  requesterBrandId: string;
}

/** The owner's budgets as its admins and partners read them, and the owner's changes to them (audited). */
export class PrivacyBudgetService {
  constructor(
    private readonly brandId: string,
    private readonly timeZone: string,
    private readonly limits: BudgetLimits,
    /** The node's EPSILON: what one new question costs. */
    private readonly questionEpsilon: string,
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly audit: NodeAudit,
  ) {}

  /** One requester brand's quota at this owner this period. */
  async quotaOf(requesterBrand: string): Promise<BudgetView> {
    const repository = new PrivacyBudgetRepository(this.db);
    const period = monthIn(this.timeZone);
    const total = await repository.quotaTotal(requesterBrand, this.limits.pairQuota);
    return this.view(total, await repository.quotaSpent(requesterBrand, period), period);
  }

  /** Every partner's quota: the brands of the pool, and any with a setting or a spend. */
  async quotas(poolBrands: readonly string[]): Promise<PartnerBudgetView[]> {
    const repository = new PrivacyBudgetRepository(this.db);
    const period = monthIn(this.timeZone);
    const [totals, spends] = await Promise.all([repository.quotaTotals(), repository.quotaSpends(period)]);
    const brands = new Set([...poolBrands, ...totals.keys(), ...spends.keys()]);
    brands.delete(this.brandId);
    return [...brands].sort().map((requesterBrandId) => ({
      requesterBrandId,
      ...this.view(totals.get(requesterBrandId) ?? this.limits.pairQuota, spends.get(requesterBrandId) ?? "0", period),
    }));
  }

  async poolCap(): Promise<BudgetView> {
    const repository = new PrivacyBudgetRepository(this.db);
    const period = monthIn(this.timeZone);
    return this.view(await repository.poolTotal(this.limits.poolCap), await repository.poolSpent(period), period);
  }

  /** Sets one partner's quota: lower than the default, or higher up to the platform ceiling. */
  async setQuota(actor: JsonObject, requesterBrand: string, epsilonTotal: number, poolBrands: readonly string[]): Promise<PartnerBudgetView> {
    if (requesterBrand === this.brandId) throw new AppError("BAD_INPUT", "A brand has no quota at itself.", { field: "requesterBrandId" });
    if (!poolBrands.includes(requesterBrand)) throw new AppError("NOT_FOUND", "No such brand in the pool.", { field: "requesterBrandId" });
    const total = this.amount(epsilonTotal, this.limits.pairCeiling);
    await withTransaction(this.pool, async (tx) => {
      await new PrivacyBudgetRepository(tx.db).setQuotaTotal(requesterBrand, total);
      await this.recordChange(tx, actor, { budget: "quota", requester: requesterBrand, epsilonTotal: total });
    });
    this.audit.pushSoon();
    return { requesterBrandId: requesterBrand, ...(await this.quotaOf(requesterBrand)) };
  }

  /** Sets the pool-wide cap: at most the platform default. */
  async setPoolCap(actor: JsonObject, epsilonTotal: number): Promise<BudgetView> {
    const total = this.amount(epsilonTotal, this.limits.poolCeiling);
    await withTransaction(this.pool, async (tx) => {
      await new PrivacyBudgetRepository(tx.db).setPoolTotal(total);
      await this.recordChange(tx, actor, { budget: "pool", epsilonTotal: total });
    });
    this.audit.pushSoon();
    return this.poolCap();
  }

  private async recordChange(tx: Parameters<NodeAudit["record"]>[0], actor: JsonObject, change: JsonObject): Promise<void> {
    const payload = { owner: this.brandId, ...change };
    await this.audit.record(
      tx,
      { type: "privacy.budget-changed", actor, subject: { kind: "brand", brand: this.brandId }, payload },
      { type: "privacy.budget-changed", payload: { ...payload, actor } },
    );
  }

  private amount(value: number, ceiling: string): string {
    const amount = amountOfNumber(value);
    if (amount === null) throw new AppError("BAD_INPUT", "epsilonTotal must be a non-negative number with at most six decimals.", { field: "epsilonTotal" });
    if (isGreater(amount, ceiling)) throw new AppError("BAD_INPUT", `epsilonTotal may be at most ${ceiling}.`, { field: "epsilonTotal", max: Number(ceiling) });
    return amount;
  }

  private view(total: string, spent: string, period: string): BudgetView {
    return {
      epsilonPerQuestion: Number(this.questionEpsilon),
      epsilonTotal: Number(total),
      epsilonSpent: Number(spent),
      epsilonRemaining: Number(minusAtLeastZero(total, spent)),
      periodEnd: periodEnd(this.timeZone, period).toISOString(),
    };
  }
}
