import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { useMemo } from "react";
import type { MessageKey } from "../i18n/en.js";
import { useI18n } from "../i18n/i18n.js";
import { Loading } from "../components/states.js";
import { SignInPage } from "../session/sign-in.page.js";
import { useSessionState } from "../session/session.js";

const DEFAULT_QUERY = `# brandpool's GraphQL, as the identity you signed in with.
{
  viewer { kind subject brandId role }
  brands { id name nameZh }
}
`;

/**
 * GraphiQL for a browser's GET of /graphql: bundled into the admin build (no CDN), signed in with
 * the same identity picker or pasted token as the admin UI (the tab's session is shared).
 */
export function Explorer() {
  const { session, restoring } = useSessionState();
  const { t } = useI18n();
  const fetcher = useMemo(
    () => (session ? createGraphiQLFetcher({ url: "/graphql", headers: { authorization: `Bearer ${session.token}` } }) : null),
    [session],
  );
  if (restoring && !session) return <Loading />;
  if (!session || !fetcher) return <SignInPage />;
  const { viewer } = session;
  return (
    <div className="explorer">
      <header className="top">
        <span className="logo">brandpool · GraphiQL</span>
        <p className="identity" data-testid="identity">
          {t("app.signedInAs")} <strong>{viewer.brandId ?? t("app.platform")}</strong> · <strong>{t(`role.${viewer.role ?? "analyst"}` as MessageKey)}</strong>
        </p>
        <a href="/admin/">{t("app.title")}</a>
        <button type="button" onClick={session.signOut}>
          {t("app.signOut")}
        </button>
      </header>
      <div className="explorer-body">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
      </div>
    </div>
  );
}
