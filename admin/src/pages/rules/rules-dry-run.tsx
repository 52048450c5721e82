import { brandName } from "../../components/brand-name.js";
import { Empty } from "../../components/states.js";
import type { MessageKey } from "../../i18n/en.js";
import { useI18n } from "../../i18n/i18n.js";
import { useSession } from "../../session/session.js";

export interface DecisionPreview {
  requestId: string;
  decision: "APPROVE" | "DECLINE" | "PENDING";
  reasons: string[];
}
export interface IncomingSummary {
  id: string;
  requesterBrandId: string;
  purpose: string;
  channel: string;
  createdAt: string;
}

const BADGE: Record<DecisionPreview["decision"], string> = { APPROVE: "badge-approved", DECLINE: "badge-declined", PENDING: "badge-pending" };

/** What the edited rules would decide of each of the last requests received (nothing changed). */
export function DryRunTable({ previews, requests }: { previews: DecisionPreview[]; requests: IncomingSummary[] }) {
  const { t, dateTime, locale } = useI18n();
  const session = useSession();
  if (previews.length === 0) return <Empty>{t("rules.dryRunEmpty")}</Empty>;
  const byId = new Map(requests.map((request) => [request.id, request]));
  return (
    <div className="table-scroll">
      <table data-testid="rules-dry-run">
        <caption className="sr-only">{t("rules.dryRunCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("rules.colReceived")}</th>
            <th scope="col">{t("rules.colRequester")}</th>
            <th scope="col">{t("rules.colPurpose")}</th>
            <th scope="col">{t("rules.colDecision")}</th>
            <th scope="col">{t("rules.colReasons")}</th>
          </tr>
        </thead>
        <tbody>
          {previews.map((preview) => {
            const request = byId.get(preview.requestId);
            return (
              <tr key={preview.requestId} data-testid={`dry-run-${preview.requestId}`}>
                <td>{request ? dateTime(request.createdAt) : <code>{preview.requestId.slice(0, 8)}</code>}</td>
                <td>{request ? brandName(session.brands, request.requesterBrandId, locale) : "–"}</td>
                <td>{request ? `${request.purpose} · ${t(`channel.${request.channel}` as MessageKey)}` : "–"}</td>
                <td data-testid="dry-run-decision">
                  <span className={`badge ${BADGE[preview.decision]}`}>{t(`rules.decision.${preview.decision}`)}</span>
                </td>
                <td data-testid="dry-run-reasons">{preview.reasons.length > 0 ? preview.reasons.map((id) => <code key={id} className="policy-id">{id}</code>) : t("rules.noReason")}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
