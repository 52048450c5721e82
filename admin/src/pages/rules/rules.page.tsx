import { useId, useRef, useState } from "react";
import { PREVIEW_SHARING_DECISIONS, SHARING_RULES, UPDATE_SHARING_RULES } from "../../api/operations.js";
import { AsyncView, ErrorMessage, Loading } from "../../components/states.js";
import { useAsync } from "../../components/use-async.js";
import { useI18n } from "../../i18n/i18n.js";
import { useSession } from "../../session/session.js";
import { MinimumAudience } from "./minimum-audience.js";
import { policyProblems } from "./policy-problems.js";
import type { PolicyProblem } from "./policy-problems.js";
import { DryRunTable } from "./rules-dry-run.js";
import type { DecisionPreview, IncomingSummary } from "./rules-dry-run.js";
import { RulesEditor } from "./rules-editor.js";
import type { RulesEditorHandle } from "./rules-editor.js";

interface SavedRules {
  policies: string;
  validatedAt: string | null;
  hash: string;
}
interface RulesData {
  sharingRules: SavedRules;
  minimumOutreachAudience: number;
}
interface PreviewData {
  previewSharingDecisions: DecisionPreview[];
  outreachRequests: { edges: { node: IncomingSummary }[] };
}

/** Admins: the brand's sharing rules (Cedar), edited with Cedar's errors in place, a dry run, and the minimum audience. */
export function RulesPage() {
  const { t } = useI18n();
  const session = useSession();
  const [state, reload] = useAsync(() => session.ask<RulesData>(SHARING_RULES), [session]);
  return (
    <section aria-labelledby="rules-title">
      <h2 id="rules-title">{t("rules.title")}</h2>
      <p className="intro">{t("rules.intro")}</p>
      <AsyncView state={state} reload={reload}>
        {(data) => (
          <>
            <RulesForm saved={data.sharingRules} />
            <MinimumAudience initial={data.minimumOutreachAudience} />
          </>
        )}
      </AsyncView>
    </section>
  );
}

type DryRun = { status: "idle" } | { status: "loading" } | { status: "done"; data: PreviewData; text: string } | { status: "error"; error: unknown };

function RulesForm({ saved: initial }: { saved: SavedRules }) {
  const { t, dateTime } = useI18n();
  const session = useSession();
  const [saved, setSaved] = useState(initial);
  const [text, setText] = useState(initial.policies);
  const [problems, setProblems] = useState<PolicyProblem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  const [dryRun, setDryRun] = useState<DryRun>({ status: "idle" });
  const editor = useRef<RulesEditorHandle>(null);
  const id = useId();
  const dirty = text !== saved.policies;

  const refused = (e: unknown): boolean => {
    const found = policyProblems(e);
    if (!found) return false;
    setProblems(found);
    // The caret goes to the first problem, so the fix starts where Cedar points.
    const first = found[0];
    if (first) requestAnimationFrame(() => editor.current?.reveal(first));
    return true;
  };
  const save = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setJustSaved(false);
    try {
      const { updateSharingRules } = await session.ask<{ updateSharingRules: SavedRules }>(UPDATE_SHARING_RULES, { policies: text });
      setSaved(updateSharingRules);
      setProblems(null);
      setJustSaved(true);
    } catch (e) {
      if (!refused(e)) setError(e);
    } finally {
      setBusy(false);
    }
  };
  const runDry = async () => {
    if (dryRun.status === "loading") return;
    setDryRun({ status: "loading" });
    const asked = text;
    try {
      const data = await session.ask<PreviewData>(PREVIEW_SHARING_DECISIONS, { policies: asked });
      setProblems(null);
      setDryRun({ status: "done", data, text: asked });
    } catch (e) {
      setDryRun({ status: "idle" });
      if (!refused(e)) setDryRun({ status: "error", error: e });
    }
  };
  const first = problems?.[0] ?? null;
  return (
    <div className="card">
      <dl className="summary" data-testid="rules-saved">
        <dt>{t("rules.validatedAt")}</dt>
        <dd data-testid="rules-validated-at">{saved.validatedAt ? dateTime(saved.validatedAt) : t("rules.neverSaved")}</dd>
        <dt>{t("rules.hash")}</dt>
        <dd>
          <code className="hash" data-testid="rules-hash">{saved.hash}</code>
        </dd>
      </dl>
      <label htmlFor={id}>{t("rules.editorLabel")}</label>
      <p className="help" id={`${id}-help`}>
        {t("rules.editorHelp")}
      </p>
      <RulesEditor
        ref={editor}
        id={id}
        value={text}
        onChange={(value) => {
          setText(value);
          setJustSaved(false);
        }}
        problemLine={first?.line ?? null}
        describedBy={`${id}-help ${id}-problems`}
        onSave={() => void save()}
        onDryRun={() => void runDry()}
      />
      <div id={`${id}-problems`} aria-live="assertive">
        {problems && (
          <div className="state state-error policy-problems" role="alert" data-testid="rules-error">
            <div>
              <strong>INVALID_POLICY</strong> {t("rules.invalid")}
              <ul>
                {problems.map((problem, i) => (
                  <li key={i}>
                    {problem.line !== null && (
                      <button type="button" className="link-button" onClick={() => editor.current?.reveal(problem)} data-testid="rules-error-position">
                        {t("rules.position", { line: problem.line, column: problem.column ?? 1 })}
                      </button>
                    )}{" "}
                    <span data-testid="rules-error-message">{problem.message}</span>
                    {problem.help && <span className="help"> {problem.help}</span>}
                  </li>
                ))}
              </ul>
            </div>
          </div>
        )}
      </div>
      {error !== null && <ErrorMessage error={error} />}
      <div className="actions">
        <button type="button" className="primary" onClick={() => void save()} disabled={busy || !dirty} data-testid="rules-save">
          {t("rules.save")}
        </button>
        <button type="button" onClick={() => void runDry()} disabled={dryRun.status === "loading"} data-testid="rules-dry-run-button">
          {t("rules.dryRun")}
        </button>
        <button type="button" onClick={() => (setText(saved.policies), setProblems(null))} disabled={!dirty} data-testid="rules-revert">
          {t("rules.revert")}
        </button>
        <span className="help" role="status" data-testid="rules-state">
          {justSaved ? t("rules.saved") : dirty ? t("rules.unsaved") : ""}
        </span>
      </div>
      <h3 className="dry-run-title">{t("rules.dryRunTitle")}</h3>
      <p className="help">{t("rules.dryRunHelp")}</p>
      {dryRun.status === "loading" && <Loading />}
      {dryRun.status === "error" && <ErrorMessage error={dryRun.error} onRetry={() => void runDry()} />}
      {dryRun.status === "done" && (
        <>
          {dryRun.text !== text && <p className="help">{t("rules.dryRunStale")}</p>}
          <DryRunTable previews={dryRun.data.previewSharingDecisions} requests={dryRun.data.outreachRequests.edges.map((edge) => edge.node)} />
        </>
      )}
    </div>
  );
}
