import { OUTGOING_REQUESTS } from "../api/operations.js";
import { AsyncView, Empty } from "../components/states.js";
import { useAsync } from "../components/use-async.js";
import { useI18n } from "../i18n/i18n.js";
import { useSession } from "../session/session.js";
import { Pager, useCursorPages } from "../components/pager.js";
import { ComposeRequest } from "./compose-request.js";
import { OutgoingRequest } from "./outgoing-request.js";
import type { RequestPage } from "./outreach.types.js";

export function RequestsPage() {
  const { t } = useI18n();
  const session = useSession();
  const pages = useCursorPages();
  const [state, reload] = useAsync(() => session.ask<RequestPage>(OUTGOING_REQUESTS, { after: pages.after }), [session, pages.after]);
  return (
    <>
      <ComposeRequest onCreated={reload} />
      <section aria-labelledby="outgoing-title">
        <h2 id="outgoing-title">{t("requests.outgoingTitle")}</h2>
        <AsyncView state={state} reload={reload}>
          {(data) =>
            data.outreachRequests.edges.length === 0 ? (
              <Empty>{t("requests.outgoingEmpty")}</Empty>
            ) : (
              <>
                <ul className="request-list">
                  {data.outreachRequests.edges.map(({ node }) => (
                    <OutgoingRequest key={node.id} request={node} onChanged={reload} />
                  ))}
                </ul>
                <Pager pages={pages} pageInfo={data.outreachRequests.pageInfo} testId="requests" />
              </>
            )
          }
        </AsyncView>
      </section>
    </>
  );
}
