import { useId, useState } from "react";
import type { FormEvent } from "react";
import { APPEND_IMPORT_ROWS, BEGIN_IMPORT, COMMIT_IMPORT } from "../api/operations.js";
import { ErrorMessage } from "../components/states.js";
import { useI18n } from "../i18n/i18n.js";
import { useSession } from "../session/session.js";
import { chunkRows, parseMemberCsv } from "./member-csv.js";

interface Rejected {
  row: number;
  reason: string;
}
interface CommitCounts {
  inserted: number;
  updated: number;
  rejected: number;
}

type Step =
  | { kind: "idle" }
  | { kind: "sending"; done: number; total: number }
  | { kind: "review"; importId: string; total: number; accepted: number; rejected: Rejected[] }
  | { kind: "committing"; total: number; rejected: Rejected[] }
  | { kind: "done"; counts: CommitCounts; rejected: Rejected[] }
  | { kind: "cancelled" }
  | { kind: "problem"; message: string }
  | { kind: "error"; error: unknown };

/** Rejected rows listed on the page; the count says how many more there are. */
const SHOWN = 500;

/**
 * CSV import through an import session (ARCHITECTURE.md "Import sessions"): the file is parsed
 * here, sent in chunks within the gateway's body limit, then committed whole. With rejected rows
 * the report is shown first and the user decides whether to import the valid rows.
 */
export function MembersImport({ onImported }: { onImported: () => void }) {
  const { t, number } = useI18n();
  const session = useSession();
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const busy = step.kind === "sending" || step.kind === "committing";

  const commit = async (importId: string, total: number, rejected: Rejected[]) => {
    setStep({ kind: "committing", total, rejected });
    const { commitImport } = await session.ask<{ commitImport: CommitCounts }>(COMMIT_IMPORT, { importId, allowRejected: rejected.length > 0 });
    setStep({ kind: "done", counts: commitImport, rejected });
    onImported();
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || busy) return;
    try {
      const { rows, missingColumns } = parseMemberCsv(await file.text());
      if (missingColumns.length > 0) return setStep({ kind: "problem", message: t("members.import.missingColumns", { columns: missingColumns.join(", ") }) });
      if (rows.length === 0) return setStep({ kind: "problem", message: t("members.import.empty") });
      setStep({ kind: "sending", done: 0, total: rows.length });
      const { beginImport } = await session.ask<{ beginImport: { id: string } }>(BEGIN_IMPORT);
      let done = 0;
      let accepted = 0;
      const rejected: Rejected[] = [];
      for (const chunk of chunkRows(rows)) {
        const { appendImportRows } = await session.ask<{ appendImportRows: { accepted: number; rejected: Rejected[] } }>(APPEND_IMPORT_ROWS, {
          importId: beginImport.id,
          rows: chunk,
        });
        accepted += appendImportRows.accepted;
        rejected.push(...appendImportRows.rejected);
        done += chunk.length;
        setStep({ kind: "sending", done, total: rows.length });
      }
      if (rejected.length === 0) await commit(beginImport.id, rows.length, rejected);
      else setStep({ kind: "review", importId: beginImport.id, total: rows.length, accepted, rejected });
    } catch (error) {
      setStep({ kind: "error", error });
    }
  };

  const percent = step.kind === "sending" ? Math.round((step.done / step.total) * 100) : step.kind === "idle" || step.kind === "problem" || step.kind === "error" || step.kind === "cancelled" ? null : 100;
  const rejected = step.kind === "review" || step.kind === "committing" || step.kind === "done" ? step.rejected : [];

  return (
    <section className="card" aria-labelledby="import-title" data-testid="members-import">
      <h3 id="import-title">{t("members.import.title")}</h3>
      <p className="intro">{t("members.import.help")}</p>
      <form onSubmit={start}>
        <label htmlFor={fileId}>{t("members.import.file")}</label>
        <input id={fileId} type="file" accept=".csv,text/csv" disabled={busy} onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
        <div className="actions">
          <button type="submit" className="primary" disabled={!file || busy}>
            {t("members.import.start")}
          </button>
        </div>
      </form>
      {percent !== null && (
        <div className="import-progress">
          <div role="progressbar" aria-label={t("members.import.progress")} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="progress">
            <div className="progress-bar" style={{ width: `${percent}%` }} />
          </div>
          {step.kind === "sending" && <p aria-live="polite">{t("members.import.sent", { done: number(step.done), total: number(step.total) })}</p>}
        </div>
      )}
      {step.kind === "committing" && <p role="status">{t("members.import.committing")}</p>}
      {step.kind === "problem" && (
        <div className="state state-error" role="alert">
          {step.message}
        </div>
      )}
      {step.kind === "error" && <ErrorMessage error={step.error} />}
      {step.kind === "cancelled" && <p role="status">{t("members.import.cancelled")}</p>}
      {step.kind === "done" && (
        <p role="status" data-testid="import-done">
          {t("members.import.done", { inserted: number(step.counts.inserted), updated: number(step.counts.updated), rejected: number(step.counts.rejected) })}
        </p>
      )}
      {step.kind === "review" && (
        <div role="alert">
          <p>{t("members.import.rejectedSummary", { rejected: number(step.rejected.length), total: number(step.total) })}</p>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={step.accepted === 0}
              onClick={() => void commit(step.importId, step.total, step.rejected).catch((error: unknown) => setStep({ kind: "error", error }))}
            >
              {t("members.import.commitValid", { count: number(step.accepted) })}
            </button>
            <button type="button" onClick={() => setStep({ kind: "cancelled" })}>
              {t("members.import.cancel")}
            </button>
          </div>
        </div>
      )}
      {rejected.length > 0 && (
        <div className="table-scroll">
          <table data-testid="import-rejected">
            <caption>{t("members.import.rejectedTitle")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("members.import.row")}</th>
                <th scope="col">{t("members.import.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {rejected.slice(0, SHOWN).map((entry) => (
                <tr key={entry.row}>
                  <td>{number(entry.row)}</td>
                  <td>{entry.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rejected.length > SHOWN && <p>{t("members.import.more", { count: number(rejected.length - SHOWN) })}</p>}
        </div>
      )}
    </section>
  );
}
