import { useState } from "react";
import { DECIDE, INCOMING_REQUESTS } from "../api/operations.js";
import { AsyncView, Empty } from "../components/states.js";
import { useAsync } from "../components/use-async.js";
import { brandName } from "../components/brand-name.js";
import { useI18n } from "../i18n/i18n.js";
import { useSession } from "../session/session.js";
import { DecisionPanel } from "./decision-panel.js";
import type { RequestPage } from "./outreach.types.js";
import { RequestSummary } from "./request-summary.js";
import { ReviewFacts } from "./review-facts.js";
import { StatusBadge } from "../components/status-badge.js";
import { Pager, useCursorPages } from "../components/pager.js";

export function InboxPage() {
  const { t } = useI18n();
  const session = useSession();
  const pages = useCursorPages();
  const [state, reload] = useAsync(() => session.ask<RequestPage>(INCOMING_REQUESTS, { after: pages.after }), [session, pages.after]);
  return (
    <section aria-labelledby="inbox-title">
      <h2 id="inbox-title">{t("inbox.title")}</h2>
      <p className="intro">{t("inbox.intro")}</p>
      <AsyncView state={state} reload={reload}>
        {(data) =>
          data.outreachRequests.edges.length === 0 ? (
            <Empty>{t("inbox.empty")}</Empty>
          ) : (
            <>
              <ul className="request-list">
                {data.outreachRequests.edges.map(({ node }) => (
                  <IncomingRequest key={node.id} request={node} onDecided={reload} />
                ))}
              </ul>
              <Pager pages={pages} pageInfo={data.outreachRequests.pageInfo} testId="inbox" />
            </>
          )
        }
      </AsyncView>
    </section>
  );
}

function IncomingRequest({ request, onDecided }: { request: RequestPage["outreachRequests"]["edges"][number]["node"]; onDecided: () => void }) {
  const { t, locale, number } = useI18n();
  const session = useSession();
  const mine = request.targets.find((target) => target.brandId === session.viewer.brandId);
  const [decided, setDecided] = useState<{ status: string; reason: string | null } | null>(null);
  const status = decided?.status ?? mine?.status ?? "PENDING";
  const decide = async (decision: "APPROVE" | "DECLINE", cap: number | null, reason: string | null) => {
    if (!mine?.copy) return;
    const { decideOutreachRequest } = await session.ask<{ decideOutreachRequest: { status: string; reason: string | null } }>(DECIDE, {
      requestId: request.id,
      contentHash: mine.copy.contentHash,
      decision,
      cap,
      reason,
    });
    setDecided(decideOutreachRequest);
    onDecided();
  };
  return (
    <li className="card request" data-testid={`incoming-${request.id}`} aria-labelledby={`req-${request.id}`}>
      <header className="request-head">
        <h3 id={`req-${request.id}`}>
          {t("inbox.from")}: {brandName(session.brands, request.requesterBrandId, locale)}
        </h3>
        <span data-testid="target-status">
          <StatusBadge status={status} />
        </span>
      </header>
      <RequestSummary request={request} />
      {status === "PENDING" && mine?.copy && <ReviewFacts target={mine} channel={request.channel} />}
      {mine?.copy?.approvedCap != null && <p className="reason">{t("inbox.approvedCap", { count: number(mine.copy.approvedCap) })}</p>}
      {(decided?.reason ?? mine?.reason) && <p className="reason">{t("inbox.declineReason", { reason: decided?.reason ?? mine?.reason ?? "" })}</p>}
      {decided && (
        <p role="status" className="state state-ok">
          {t("inbox.decided", { status: t(`status.${decided.status}` as "status.APPROVED") })}
        </p>
      )}
      {status === "PENDING" &&
        (mine?.copy ? (
          <DecisionPanel request={request} maxCap={mine.copy.maxRecipients} audience={mine.exactAudience ?? null} onDecide={decide} />
        ) : (
          <p className="state state-empty">{t("inbox.waitingCopy")}</p>
        ))}
    </li>
  );
}
