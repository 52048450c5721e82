import type { DecisionRule } from "../outreach/decision-step.js";
import type { SharingRulesService } from "./sharing-rules.service.js";

/**
 * The owner's Cedar rules as a step of the decision: the version in force at this moment (read in
 * the storing transaction) decides a new request; the `@id`s of the determining policies name it.
 */
export function sharingRulesRule(rules: SharingRulesService): DecisionRule {
  return {
    by: "RULE",
    async conclude(tx, request) {
      const set = await rules.inForce(tx.db);
      const { decision, reasons } = await rules.conclude(set, request, request.receivedAt);
      if (decision === "PENDING") return null;
      const ruleId = reasons.join(",");
      return decision === "APPROVE" ? { decision: "APPROVE", ruleId } : { decision: "DECLINE", ruleId, reason: `Declined by the sharing rules: ${ruleId}.` };
    },
  };
}
