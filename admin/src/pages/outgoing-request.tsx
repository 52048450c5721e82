import { useState } from "react";
import { CANCEL_REQUEST } from "../api/operations.js";
import { brandName } from "../components/brand-name.js";
import { ResultsChart } from "../components/results-chart.js";
import { ErrorMessage } from "../components/states.js";
import { StatusBadge } from "../components/status-badge.js";
import { useI18n } from "../i18n/i18n.js";
import { useSession } from "../session/session.js";
import type { OutreachRequest, OutreachResults } from "./outreach.types.js";
import { RequestSummary } from "./request-summary.js";

/** One of the brand's own requests: each target's status and released (noisy) results, and a chart. */
export function OutgoingRequest({ request, onChanged }: { request: OutreachRequest; onChanged: () => void }) {
  const { t, locale, number, dateTime } = useI18n();
  const session = useSession();
  const [error, setError] = useState<unknown>(null);
  const figure = (results: OutreachResults, value: number | null) => (value === null ? t("requests.belowThreshold", { threshold: number(results.threshold) }) : number(value));
  const released = request.targets.filter((target) => target.results);
  const cancellable = request.targets.some((target) => target.status === "PENDING" || target.status === "APPROVED");
  const cancel = async () => {
    setError(null);
    try {
      await session.ask(CANCEL_REQUEST, { requestId: request.id });
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <li className="card request" data-testid={`outgoing-${request.id}`} aria-labelledby={`out-${request.id}`}>
      <header className="request-head">
        <h3 id={`out-${request.id}`}>
          {request.purpose} · {dateTime(request.createdAt)}
        </h3>
        <StatusBadge status={request.status} />
      </header>
      <RequestSummary request={request} />
      <table>
        <caption className="sr-only">{t("requests.results")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("requests.targets")}</th>
            <th scope="col">{t("inbox.status")}</th>
            <th scope="col" className="num">{t("requests.contacted")}</th>
            <th scope="col" className="num">{t("requests.delivered")}</th>
            <th scope="col" className="num">{t("requests.failed")}</th>
            <th scope="col" className="num">{t("requests.redeemed")}</th>
          </tr>
        </thead>
        <tbody>
          {request.targets.map((target) => (
            <tr key={target.brandId} data-testid={`target-${target.brandId}`}>
              <th scope="row">{brandName(session.brands, target.brandId, locale)}</th>
              <td>
                <StatusBadge status={target.status} /> <span className="help">{dateTime(target.statusAt)}</span>
              </td>
              {target.results ? (
                <>
                  <td className="num">{figure(target.results, target.results.contacted)}</td>
                  <td className="num">{figure(target.results, target.results.delivered)}</td>
                  <td className="num">{figure(target.results, target.results.failed)}</td>
                  <td className="num">
                    {figure(target.results, target.results.redeemed)}
                    <div className="help">{t("requests.margin", { margin: number(target.results.margin95) })}</div>
                  </td>
                </>
              ) : (
                <td colSpan={4} className="help">
                  {t("requests.noResults")}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {released.length > 0 && (
        <ResultsChart
          title={t("requests.chart")}
          rows={released.map((target) => ({
            label: brandName(session.brands, target.brandId, locale),
            delivered: target.results?.delivered ?? null,
            redeemed: target.results?.redeemed ?? null,
          }))}
        />
      )}
      {cancellable && (
        <div className="actions">
          <button type="button" onClick={() => void cancel()}>
            {t("requests.cancelRequest")}
          </button>
        </div>
      )}
      {error !== null && <ErrorMessage error={error} />}
    </li>
  );
}
