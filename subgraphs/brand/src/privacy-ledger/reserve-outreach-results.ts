import { AppError } from "@brandpool/errors";
import type { Transaction } from "../db/transaction.js";
import type { BudgetLimits } from "./budget-limits.js";
import { monthIn, periodEnd } from "./budget-period.js";
import { outreachResultsReservation } from "./outreach-results-budget.js";
import { outreachResultsQuestionKey } from "./outreach-results.repository.js";
import { PrivacyAnswerRepository } from "./privacy-answer.repository.js";
import { PrivacyBudgetRepository } from "./privacy-budget.repository.js";
import type { Epsilon } from "./privacy-budget.repository.js";

export interface OutreachResultsReservation {
  epsilon: Epsilon;
  period: string;
}

/**
 * Charges, inside the approval's transaction, what the request's results will cost: the
 * requester -> owner quota and the owner's pool cap, each by the ledger's conditional UPDATE (so
 * concurrent approvals and estimates never overspend), and one privacy_spend row. When either
 * cannot cover it, BUDGET_EXHAUSTED is thrown and the transaction (the approval with it) rolls back.
 */
export async function reserveOutreachResults(
  tx: Transaction,
  settings: { timeZone: string; budgets: BudgetLimits },
  requesterBrand: string,
  requestId: string,
): Promise<OutreachResultsReservation> {
  const period = monthIn(settings.timeZone);
  const epsilon = outreachResultsReservation();
  const budgets = new PrivacyBudgetRepository(tx.db);
  const exhausted = (whose: string) =>
    new AppError(
      "BUDGET_EXHAUSTED",
      `${whose} cannot cover the results of this request (epsilon ${epsilon}) this period: approving it is refused. The budget refills at ${periodEnd(settings.timeZone, period).toISOString()}.`,
      { reason: "RESULTS_NOT_COVERED", epsilon, refillsAt: periodEnd(settings.timeZone, period).toISOString() },
    );
  const quotaTotal = await budgets.quotaTotal(requesterBrand, settings.budgets.pairQuota);
  if ((await budgets.chargeQuota(requesterBrand, period, epsilon, quotaTotal)) === null) throw exhausted(`The partner's privacy budget at your brand`);
  const poolTotal = await budgets.poolTotal(settings.budgets.poolCap);
  if ((await budgets.chargePool(period, epsilon, poolTotal)) === null) throw exhausted("Your brand's pool-wide privacy cap");
  await new PrivacyAnswerRepository(tx.db).recordReceipt({ requesterBrand, questionKey: outreachResultsQuestionKey(requestId), period, epsilon });
  return { epsilon, period };
}
