import { BUDGETS } from "../api/operations.js";
import { brandName } from "../components/brand-name.js";
import { AsyncView, Empty } from "../components/states.js";
import { useAsync } from "../components/use-async.js";
import { useI18n } from "../i18n/i18n.js";
import { useSession } from "../session/session.js";

interface Budget {
  epsilonTotal: number;
  epsilonSpent: number;
  epsilonRemaining: number;
  periodEnd: string;
}
interface BudgetsData {
  privacyBudgets: (Budget & { requesterBrandId: string })[];
  poolBudget: Budget;
}

function Meter({ budget }: { budget: Budget }) {
  const share = budget.epsilonTotal > 0 ? Math.min(1, budget.epsilonSpent / budget.epsilonTotal) : 0;
  return (
    <div className="meter" aria-hidden="true">
      <span style={{ width: `${Math.round(share * 100)}%` }} />
    </div>
  );
}

/** Each partner's quota at this brand and the pool-wide cap: spent and left this period. */
export function BudgetsPage() {
  const { t, number, date, locale } = useI18n();
  const session = useSession();
  const [state, reload] = useAsync(() => session.ask<BudgetsData>(BUDGETS), [session]);
  const eps = (value: number) => `${number(value, 2)} ε`;
  return (
    <section aria-labelledby="budgets-title">
      <h2 id="budgets-title">{t("budgets.title")}</h2>
      <p className="intro">{t("budgets.intro")}</p>
      <AsyncView state={state} reload={reload}>
        {(data) => (
          <>
            <div className="card" data-testid="pool-budget">
              <h3>{t("budgets.pool")}</h3>
              <p>
                {t("budgets.spent")}: {eps(data.poolBudget.epsilonSpent)} · {t("budgets.left")}: {eps(data.poolBudget.epsilonRemaining)} · {t("budgets.total")}:{" "}
                {eps(data.poolBudget.epsilonTotal)} · {t("budgets.periodEnd")}: {date(data.poolBudget.periodEnd)}
              </p>
              <Meter budget={data.poolBudget} />
            </div>
            {data.privacyBudgets.length === 0 ? (
              <Empty>{t("budgets.empty")}</Empty>
            ) : (
              <table data-testid="partner-budgets">
                <thead>
                  <tr>
                    <th scope="col">{t("budgets.partner")}</th>
                    <th scope="col" className="num">{t("budgets.total")}</th>
                    <th scope="col" className="num">{t("budgets.spent")}</th>
                    <th scope="col" className="num">{t("budgets.left")}</th>
                    <th scope="col">{t("budgets.periodEnd")}</th>
                    <th scope="col"><span className="sr-only">{t("budgets.spent")} %</span></th>
                  </tr>
                </thead>
                <tbody>
                  {data.privacyBudgets.map((budget) => (
                    <tr key={budget.requesterBrandId}>
                      <th scope="row">{brandName(session.brands, budget.requesterBrandId, locale)}</th>
                      <td className="num">{eps(budget.epsilonTotal)}</td>
                      <td className="num">{eps(budget.epsilonSpent)}</td>
                      <td className="num">{eps(budget.epsilonRemaining)}</td>
                      <td>{date(budget.periodEnd)}</td>
                      <td>
                        <Meter budget={budget} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </AsyncView>
    </section>
  );
}
