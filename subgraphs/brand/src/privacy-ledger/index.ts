// The privacy ledger: the one way a figure leaves this node for another brand (DESIGN.md, invariant 2).
export { PrivacyLedger, type AudienceQuestion, type PrivacyLedgerSettings, type Release } from "./privacy-ledger.service.js";
export { PrivacyBudgetService, type BudgetView, type PartnerBudgetView } from "./privacy-budget.service.js";
export { SqlAudienceCounter, type AudienceCounter } from "./audience-counter.js";
export { BENCH_BUDGETS, STANDARD_BUDGETS, type BudgetLimits } from "./budget-limits.js";
export {
  OUTREACH_REDEMPTION_RELEASES,
  OUTREACH_RESULT_EPSILON,
  OUTREACH_RESULT_FIGURES,
  outreachResultsReservation,
  type OutreachResultFigure,
} from "./outreach-results-budget.js";
export { reserveOutreachResults, type OutreachResultsReservation } from "./reserve-outreach-results.js";
export { MAX_OUTREACH_RESULT_RELEASES, OUTREACH_RESULT_UPDATE_HOURS, type OutreachResultsRelease } from "./release-outreach-results.js";
export { outreachResultsQuestionKey } from "./outreach-results.repository.js";
