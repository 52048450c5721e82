import { useEffect, useRef } from "react";
import type { MessageKey } from "./i18n/en.js";
import { useI18n } from "./i18n/i18n.js";
import { LanguageSwitch } from "./components/language-switch.js";
import { Loading } from "./components/states.js";
import { brandName } from "./components/brand-name.js";
import { PageLink, pagesFor, usePage } from "./router.js";
import type { Page } from "./router.js";
import { SignInPage } from "./session/sign-in.page.js";
import { useSession, useSessionState } from "./session/session.js";
import { InboxPage } from "./pages/inbox.page.js";
import { RequestsPage } from "./pages/requests.page.js";
import { MembersPage } from "./pages/members.page.js";
import { BudgetsPage } from "./pages/budgets.page.js";
import { AuditPage } from "./pages/audit.page.js";
import { RulesPage } from "./pages/rules/rules.page.js";

export function App() {
  const { session, restoring } = useSessionState();
  if (restoring && !session) return <Loading />;
  return session ? <Shell /> : <SignInPage />;
}

const PAGE_VIEWS: Record<Page, () => React.JSX.Element> = {
  inbox: InboxPage,
  requests: RequestsPage,
  members: MembersPage,
  budgets: BudgetsPage,
  rules: RulesPage,
  audit: AuditPage,
};

function Shell() {
  const { t, locale } = useI18n();
  const session = useSession();
  const { viewer } = session;
  const pages = pagesFor(viewer.role, viewer.brandId);
  const [page, go] = usePage();
  const current = page && pages.includes(page) ? page : (pages[0] ?? null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${current ? t(`page.${current}`) : t("app.title")} · brandpool`;
  }, [current, t]);
  useEffect(() => {
    // After a page change, keyboard and screen-reader users land on the new page's heading.
    if (page) heading.current?.focus();
  }, [page]);
  const roleLabel = t(`role.${viewer.role ?? "analyst"}` as MessageKey);
  const View = current ? PAGE_VIEWS[current] : null;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t("app.skip")}
      </a>
      <header className="top">
        <span className="logo">brandpool</span>
        <p className="identity" data-testid="identity">
          <span className="identity-label">{t("app.signedInAs")}</span>{" "}
          <strong data-testid="identity-brand">{viewer.brandId ? brandName(session.brands, viewer.brandId, locale) : t("app.platform")}</strong>
          {" · "}
          <strong data-testid="identity-role">{roleLabel}</strong> <span className="subject">({viewer.subject})</span>
        </p>
        <LanguageSwitch />
        <a className="api-link" href="/graphql">
          {t("app.apiExplorer")}
        </a>
        <button type="button" onClick={session.signOut}>
          {t("app.signOut")}
        </button>
      </header>
      <nav className="nav" aria-label={t("app.nav")}>
        <ul>
          {pages.map((p) => (
            <li key={p}>
              <PageLink page={p} current={p === current} go={go}>
                {t(`page.${p}`)}
              </PageLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content">
        <h1 ref={heading} tabIndex={-1}>
          {current ? t(`page.${current}`) : t("app.title")}
        </h1>
        {View ? <View /> : <p className="state state-empty">{t("page.notForRole", { role: roleLabel })}</p>}
      </main>
    </div>
  );
}
