import { isAppError } from "@brandpool/errors";
import type { MemberService } from "../members/member.service.js";
import type { DecisionRule } from "../outreach/decision-step.js";
import type { PrivacyLedger } from "../privacy-ledger/index.js";
import type { SharingRulesService } from "./sharing-rules.service.js";

/** The rule id the owner's log names for this step's declines. */
export const MINIMUM_AUDIENCE_RULE = "minimum-audience";

/**
 * The minimum outreach audience as the first step of the decision, for every new request: the
 * node asks its own privacy ledger, the one way a figure leaves it, for the noisy consenting
 * matching audience of the request's expression on its channel, charged to the requester like
 * any estimate (free when the requester already asked it this period), in the storing
 * transaction. The decision uses only what the requester is told (the noisy count, or "fewer
 * than k"), so it teaches nothing beyond that figure: below the minimum (or below k) it declines.
 * Every request asks, whatever the rules then decide, so the charge does not tell a rule's
 * decline from any other. When the budget cannot pay for the question, the request is declined
 * too (fail closed: no request goes out unchecked), and the requester already knows its budget.
 */
export function minimumAudienceRule(deps: { ledger: PrivacyLedger; members: MemberService; rules: SharingRulesService; brandId: string }): DecisionRule {
  const decline = (reason: string) => ({ decision: "DECLINE" as const, ruleId: MINIMUM_AUDIENCE_RULE, reason });
  return {
    by: "MINIMUM_AUDIENCE",
    async conclude(tx, request) {
      const minimum = await deps.rules.minimum(tx.db);
      let resolved;
      try {
        resolved = await deps.members.resolveExpression(request.expression);
      } catch (error) {
        if (isAppError(error) && error.code !== "UNAVAILABLE") return decline("The audience cannot be counted here: the expression does not resolve at this node.");
        throw error;
      }
      if (resolved.sensitive.length > 0) return decline("The expression names a sensitive tag.");
      await tx.client.query("SAVEPOINT minimum_audience");
      try {
        const release = await deps.ledger.releaseIn(tx, {
          requesterBrand: request.requesterBrand,
          actor: { kind: "node", brand: deps.brandId, check: MINIMUM_AUDIENCE_RULE },
          expression: resolved.expr,
          channel: request.channel,
        });
        await tx.client.query("RELEASE SAVEPOINT minimum_audience");
        if (release.count === null || release.count < minimum) return decline(`The noisy audience is below this brand's minimum of ${minimum}.`);
        return null;
      } catch (error) {
        await tx.client.query("ROLLBACK TO SAVEPOINT minimum_audience");
        if (isAppError(error) && error.code === "BUDGET_EXHAUSTED") return decline("The requester's privacy budget could not pay for the minimum-audience question.");
        // Anything else the ledger refuses (a question too complex to key) cannot be counted either;
        // the pool being unreachable is retried with the whole receipt.
        if (isAppError(error) && error.code !== "UNAVAILABLE") return decline(`The audience cannot be counted here (${error.code}).`);
        throw error;
      }
    },
  };
}
