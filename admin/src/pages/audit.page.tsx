import { useId, useState } from "react";
import type { FormEvent } from "react";
import { BRAND_AUDIT, PLATFORM_AUDIT, RECONCILE, VERIFY_BRAND_CHAIN, VERIFY_PLATFORM_CHAIN } from "../api/operations.js";
import { brandName } from "../components/brand-name.js";
import { AsyncView, Empty, ErrorMessage, Loading } from "../components/states.js";
import { useAsync } from "../components/use-async.js";
import { useI18n } from "../i18n/i18n.js";
import { useSession } from "../session/session.js";
import { auditCsv } from "./audit-csv.js";
import type { AuditRow } from "./audit-csv.js";

type Connection = { edges: { cursor: string; node: AuditRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
type Verification = { ok: boolean; checked: number; firstBrokenEventId: string | null; headsChecked: number | null };

/** The audit timeline of one log (the platform's, or a brand node's), its chain check, reconciliation and CSV export. */
export function AuditPage() {
  const { t, locale, number, dateTime } = useI18n();
  const session = useSession();
  const id = useId();
  const own = session.viewer.brandId;
  // "" is the platform log; a brand id is that brand node's own log.
  const sources = own ? [own, ""] : ["", ...session.brands.map((brand) => brand.id)];
  const [source, setSource] = useState(sources[0] ?? "");
  const [actionDraft, setActionDraft] = useState("");
  const [brandDraft, setBrandDraft] = useState("");
  const [filters, setFilters] = useState<{ source: string; action: string | null; brand: string | null }>({ source: sources[0] ?? "", action: null, brand: null });
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [after, setAfter] = useState<string | null>(null);

  const load = async (cursor: string | null): Promise<Connection> => {
    if (filters.source === "") {
      const data = await session.ask<{ auditEvents: Connection }>(PLATFORM_AUDIT, { brandId: filters.brand, action: filters.action, after: cursor });
      return data.auditEvents;
    }
    const data = await session.ask<{ brand: { auditEvents: Connection | null } | null }>(BRAND_AUDIT, { id: filters.source, action: filters.action, after: cursor });
    return data.brand?.auditEvents ?? { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
  };
  const [state, reload] = useAsync(async () => {
    const page = await load(after);
    setRows((previous) => (after === null ? page.edges.map((e) => e.node) : [...previous, ...page.edges.map((e) => e.node)]));
    return page;
  }, [session, filters, after]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setRows([]);
    setAfter(null);
    setFilters({ source, action: actionDraft.trim() || null, brand: source === "" && brandDraft ? brandDraft : null });
  };
  const name = (brand: string | null) => brandName(session.brands, brand, locale);
  const sourceLabel = (s: string) => (s === "" ? t("audit.platformLog") : t("audit.brandLog", { brand: name(s) }));
  const download = () => {
    const url = URL.createObjectURL(new Blob([auditCsv(rows)], { type: "text/csv;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `brandpool-audit-${filters.source || "platform"}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t("audit.title")}</h2>
      <p className="intro">{t("audit.intro")}</p>
      <form className="card row" onSubmit={apply}>
        <span>
          <label htmlFor={`${id}-source`}>{t("audit.source")}</label>
          <select id={`${id}-source`} value={source} onChange={(e) => setSource(e.target.value)} data-testid="audit-source">
            {sources.map((s) => (
              <option key={s || "platform"} value={s}>
                {sourceLabel(s)}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label htmlFor={`${id}-action`}>{t("audit.filterAction")}</label>
          <input id={`${id}-action`} value={actionDraft} onChange={(e) => setActionDraft(e.target.value)} placeholder="outreach.requested" />
        </span>
        {source === "" && (
          <span>
            <label htmlFor={`${id}-brand`}>{t("audit.filterBrand")}</label>
            <select id={`${id}-brand`} value={brandDraft} onChange={(e) => setBrandDraft(e.target.value)}>
              <option value="">{t("audit.any")}</option>
              {session.brands.map((brand) => (
                <option key={brand.id} value={brand.id}>
                  {name(brand.id)}
                </option>
              ))}
            </select>
          </span>
        )}
        <span>
          <button type="submit" className="primary">
            {t("audit.apply")}
          </button>
        </span>
      </form>
      <ChainCheck source={filters.source} />
      <Reconcile />
      <h3>{sourceLabel(filters.source)}</h3>
      {state.status === "error" ? (
        <ErrorMessage error={state.error} onRetry={reload} />
      ) : state.status === "loading" && rows.length === 0 ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty>{t("audit.empty")}</Empty>
      ) : (
        <>
          <div className="actions">
            <button type="button" onClick={download} data-testid="audit-export">
              {t("audit.export")}
            </button>
          </div>
          <table data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col" className="num">{t("audit.sequence")}</th>
                <th scope="col">{t("audit.at")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.actor")}</th>
                <th scope="col">{t("audit.target")}</th>
                <th scope="col">{t("audit.object")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td className="num">{number(row.sequence)}</td>
                  <td>{dateTime(row.at)}</td>
                  <td>
                    <code>{row.action}</code>
                  </td>
                  <td>{name(row.actorBrandId)}</td>
                  <td>{(row.targetBrandIds.length ? row.targetBrandIds : row.targetBrandId ? [row.targetBrandId] : []).map(name).join(", ") || "—"}</td>
                  <td>
                    <code>{row.objectId ?? "—"}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {state.status === "done" && state.data.pageInfo.hasNextPage && (
            <div className="pager">
              <button type="button" onClick={() => setAfter(state.data.pageInfo.endCursor)}>
                {t("audit.more")}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function ChainCheck({ source }: { source: string }) {
  const { t, number } = useI18n();
  const session = useSession();
  const [result, setResult] = useState<{ verification: Verification } | { error: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    try {
      const verification =
        source === ""
          ? (await session.ask<{ verifyAuditChain: Verification }>(VERIFY_PLATFORM_CHAIN)).verifyAuditChain
          : (await session.ask<{ brand: { verifyAuditChain: Verification } }>(VERIFY_BRAND_CHAIN, { id: source })).brand.verifyAuditChain;
      setResult({ verification });
    } catch (error) {
      setResult({ error });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card" aria-live="polite">
      <button type="button" onClick={() => void verify()} disabled={busy} data-testid="audit-verify">
        {t("audit.verify")}
      </button>
      {result && "error" in result && <ErrorMessage error={result.error} />}
      {result && "verification" in result && (
        <p className={result.verification.ok ? "state state-ok" : "state state-error"} data-testid="audit-verification">
          {result.verification.ok
            ? t("audit.verifyOk", { checked: number(result.verification.checked) })
            : t("audit.verifyBroken", { id: result.verification.firstBrokenEventId ?? "?", checked: number(result.verification.checked) })}
          {result.verification.headsChecked !== null && ` ${t("audit.verifyHeads", { heads: number(result.verification.headsChecked) })}`}
        </p>
      )}
    </div>
  );
}

function Reconcile() {
  const { t } = useI18n();
  const session = useSession();
  const id = useId();
  const [requestId, setRequestId] = useState("");
  const [asked, setAsked] = useState<string | null>(null);
  const [state, reload] = useAsync(
    async () => (asked ? (await session.ask<{ reconcileOutreachRequest: { requestId: string; ok: boolean; mismatches: string[] } | null }>(RECONCILE, { requestId: asked })).reconcileOutreachRequest : null),
    [session, asked],
  );
  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        setAsked(requestId.trim() || null);
      }}
    >
      <h3>{t("audit.reconcile")}</h3>
      <label htmlFor={id}>{t("audit.requestId")}</label>
      <input id={id} className="wide" value={requestId} onChange={(e) => setRequestId(e.target.value)} spellCheck={false} data-testid="reconcile-id" />
      <div className="actions">
        <button type="submit">{t("audit.reconcile")}</button>
      </div>
      {asked && (
        <AsyncView state={state} reload={reload}>
          {(result) =>
            result && (
              <div className={result.ok ? "state state-ok" : "state state-error"} data-testid="reconcile-result">
                {result.ok ? (
                  t("audit.reconcileOk", { id: result.requestId })
                ) : (
                  <div>
                    {t("audit.reconcileBad", { id: result.requestId })}
                    <ul>
                      {result.mismatches.map((m) => (
                        <li key={m}>{m}</li>
                      ))}
                    </ul>
                  </div>
                )}
              </div>
            )
          }
        </AsyncView>
      )}
    </form>
  );
}
