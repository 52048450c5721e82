import { useState } from "react";
import type { FormEvent } from "react";
import { MEMBERS } from "../api/operations.js";
import { ExpressionField, useExpressionCheck } from "../components/expression-field.js";
import { AsyncView, Empty } from "../components/states.js";
import { useAsync } from "../components/use-async.js";
import { useI18n } from "../i18n/i18n.js";
import { useSession } from "../session/session.js";
import { MembersImport } from "./members-import.js";
import { Pager, useCursorPages } from "../components/pager.js";

const PAGE_SIZE = 25;

interface Member {
  id: string;
  externalId: string;
  name: string;
  phone: string | null;
  email: string | null;
  joinDate: string;
  tags: string[];
  consent: { sms: boolean; email: boolean; mail: boolean };
}
interface MemberPage {
  members: { totalCount: number; edges: { cursor: string; node: Member }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** The brand's own members (its own node only), filtered by an expression, a page at a time. */
export function MembersPage() {
  const { t, number, date, locale } = useI18n();
  const session = useSession();
  const [draft, setDraft] = useState("");
  const [filter, setFilter] = useState<string | null>(null);
  const pages = useCursorPages();
  const after = pages.after;
  const check = useExpressionCheck(draft);
  const [state, reload] = useAsync(() => session.ask<MemberPage>(MEMBERS, { expression: filter, first: PAGE_SIZE, after }), [session, filter, after]);
  const label = (key: string) => {
    const tag = session.taxonomy.get(key);
    return tag ? (locale === "zh-CN" ? tag.labelZh : tag.labelEn) : key;
  };
  const search = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim() !== "" && !check?.ok) return;
    setFilter(draft.trim() === "" ? null : draft.trim());
    pages.reset();
  };
  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title">{t("members.title")}</h2>
      <p className="intro">{t("members.intro")}</p>
      <form onSubmit={search} className="card">
        <ExpressionField label={t("members.filter")} value={draft} onChange={setDraft} />
        <div className="actions">
          <button type="submit" className="primary" disabled={draft.trim() !== "" && !check?.ok}>
            {t("members.search")}
          </button>
        </div>
      </form>
      <MembersImport onImported={reload} />
      <AsyncView state={state} reload={reload}>
        {(data) =>
          data.members.edges.length === 0 ? (
            <Empty>{t("members.empty")}</Empty>
          ) : (
            <>
              <p role="status">{t("members.total", { count: number(data.members.totalCount) })}</p>
              <div className="table-scroll">
                <table data-testid="members-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("members.externalId")}</th>
                      <th scope="col">{t("members.name")}</th>
                      <th scope="col">{t("members.phone")}</th>
                      <th scope="col">{t("members.email")}</th>
                      <th scope="col">{t("members.joined")}</th>
                      <th scope="col">{t("members.consent")}</th>
                      <th scope="col">{t("members.tags")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.members.edges.map(({ node }) => (
                      <tr key={node.id}>
                        <td>{node.externalId}</td>
                        <td>{node.name}</td>
                        <td>{node.phone ?? "—"}</td>
                        <td>{node.email ?? "—"}</td>
                        <td>{date(node.joinDate)}</td>
                        <td>
                          {[node.consent.sms && t("channel.SMS"), node.consent.email && t("channel.EMAIL"), node.consent.mail && t("channel.MAIL")].filter(Boolean).join(", ") || "—"}
                        </td>
                        <td>{node.tags.slice(0, 4).map(label).join(", ")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pages={pages} pageInfo={data.members.pageInfo} testId="members" />
            </>
          )
        }
      </AsyncView>
    </section>
  );
}
