import type { Epsilon } from "./privacy-budget.repository.js";

/** The budget figures a node starts from; owners change quotas and the cap within them. */
export interface BudgetLimits {
  /** Default quota of each requester brand at this owner, epsilon a month (DESIGN.md: 10). */
  readonly pairQuota: Epsilon;
  /** The platform ceiling an owner may raise one partner's quota to (20). */
  readonly pairCeiling: Epsilon;
  /** Default pool-wide cap of this owner, epsilon a month (50); owners may only lower it. */
  readonly poolCap: Epsilon;
  readonly poolCeiling: Epsilon;
}

export const STANDARD_BUDGETS: BudgetLimits = Object.freeze({ pairQuota: "10", pairCeiling: "20", poolCap: "50", poolCeiling: "50" });

// The benchmark asks tens of thousands of new questions; refused under NODE_ENV=production (config.ts).
const UNLIMITED = "1000000000";
export const BENCH_BUDGETS: BudgetLimits = Object.freeze({ pairQuota: UNLIMITED, pairCeiling: UNLIMITED, poolCap: UNLIMITED, poolCeiling: UNLIMITED });
