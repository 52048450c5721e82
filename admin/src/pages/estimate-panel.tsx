import { useState } from "react";
import { ESTIMATE, PARTNER_BUDGET } from "../api/operations.js";
import { brandName } from "../components/brand-name.js";
import { ErrorMessage, Loading } from "../components/states.js";
import { useI18n } from "../i18n/i18n.js";
import { useSession } from "../session/session.js";


interface Budget {
  /** What a question new to this requester this period costs at that partner's node. */
  epsilonPerQuestion: number;
  epsilonTotal: number;
  epsilonSpent: number;
  epsilonRemaining: number;
  periodEnd: string;
}
interface Estimate {
  count: number | null;
  belowThreshold: boolean;
  threshold: number;
  margin95: number;
  epsilon: number;
  repeated: boolean;
  epsilonSpent: number;
  budgetRemaining: number;
}

type Step = { kind: "idle" } | { kind: "costs"; budgets: { brand: string; budget: Budget | null }[] } | { kind: "asked"; answers: { brand: string; estimate: Estimate | null; error: unknown }[] };

/**
 * "Estimate" first shows what the question may cost at each partner and what is left (reading the
 * budget costs nothing); only the confirmation asks the partners' nodes.
 */
export function EstimatePanel({ targets, expression, channel }: { targets: string[]; expression: string | null; channel: string }) {
  const { t, locale, number } = useI18n();
  const session = useSession();
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = (brand: string) => brandName(session.brands, brand, locale);

  const showCosts = async () => {
    setBusy(true);
    setError(null);
    try {
      const budgets = await Promise.all(
        targets.map(async (brand) => {
          const data = await session.ask<{ brand: { privacyBudget: Budget | null } | null }>(PARTNER_BUDGET, { id: brand });
          return { brand, budget: data.brand?.privacyBudget ?? null };
        }),
      );
      setStep({ kind: "costs", budgets });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const ask = async () => {
    setBusy(true);
    setError(null);
    const answers = await Promise.all(
      targets.map(async (brand) => {
        try {
          const data = await session.ask<{ brand: { audienceEstimate: Estimate | null } | null }>(ESTIMATE, { id: brand, expression, channel });
          return { brand, estimate: data.brand?.audienceEstimate ?? null, error: null };
        } catch (e) {
          return { brand, estimate: null, error: e };
        }
      }),
    );
    setStep({ kind: "asked", answers });
    setBusy(false);
  };

  return (
    <div className="estimate" aria-live="polite">
      <button type="button" onClick={() => void showCosts()} disabled={busy || !expression || targets.length === 0} data-testid="estimate">
        {t("requests.estimate")}
      </button>
      {busy && <Loading />}
      {error !== null && <ErrorMessage error={error} />}
      {step.kind === "costs" && (
        <div className="card" data-testid="estimate-costs">
          <h3>{t("requests.estimateTitle")}</h3>
          <ul>
            {step.budgets.map(({ brand, budget }) => (
              <li key={brand}>
                {t("requests.estimateCost", {
                  partner: name(brand),
                  epsilon: number(budget?.epsilonPerQuestion ?? 0, 2),
                  remaining: number(budget?.epsilonRemaining ?? 0, 2),
                  total: number(budget?.epsilonTotal ?? 0, 2),
                })}
              </li>
            ))}
          </ul>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void ask()} disabled={busy} data-testid="estimate-confirm">
              {t("requests.estimateConfirm", { count: number(targets.length) })}
            </button>
            <button type="button" onClick={() => setStep({ kind: "idle" })}>
              {t("inbox.cancel")}
            </button>
          </div>
        </div>
      )}
      {step.kind === "asked" && (
        <ul className="card" data-testid="estimate-results">
          {step.answers.map(({ brand, estimate, error: failed }) => (
            <li key={brand}>
              {estimate ? (
                <>
                  {estimate.belowThreshold || estimate.count === null
                    ? t("requests.estimateBelow", { partner: name(brand), threshold: number(estimate.threshold) })
                    : t("requests.estimateResult", { partner: name(brand), count: number(estimate.count), margin: number(estimate.margin95) })}
                  {" · "}
                  {estimate.repeated
                    ? t("requests.estimateRepeated")
                    : t("requests.estimateSpent", { epsilon: number(estimate.epsilon, 2), remaining: number(estimate.budgetRemaining, 2) })}
                </>
              ) : (
                <>
                  {name(brand)}: <ErrorMessage error={failed} />
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
