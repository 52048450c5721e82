import { useId, useState } from "react";
import type { FormEvent } from "react";
import { SET_MINIMUM_AUDIENCE } from "../../api/operations.js";
import { GraphQLCallError } from "../../api/graphql.js";
import { ErrorMessage } from "../../components/states.js";
import { useI18n } from "../../i18n/i18n.js";
import { useSession } from "../../session/session.js";

/** The owner's minimum outreach audience; the node refuses values below 100 (BAD_INPUT), shown beside the field. */
export function MinimumAudience({ initial }: { initial: number }) {
  const { t, number } = useI18n();
  const session = useSession();
  const [saved, setSaved] = useState(initial);
  const [value, setValue] = useState(String(initial));
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(false);
    const minimum = Number(value.trim());
    if (value.trim() === "" || !Number.isInteger(minimum)) return setProblem(t("rules.minimumNotNumber"));
    setProblem(null);
    setBusy(true);
    try {
      // Values below 100 go to the node on purpose: its typed refusal is the one shown.
      const { setMinimumOutreachAudience } = await session.ask<{ setMinimumOutreachAudience: number }>(SET_MINIMUM_AUDIENCE, { minimum });
      setSaved(setMinimumOutreachAudience);
      setValue(String(setMinimumOutreachAudience));
      setDone(true);
    } catch (e) {
      if (e instanceof GraphQLCallError && e.code === "BAD_INPUT") setProblem(t("rules.minimumTooLow", { message: e.message }));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("rules.minimumTitle")}</h3>
      <p className="help" id={`${id}-help`}>
        {t("rules.minimumHelp", { count: number(saved) })}
      </p>
      <label htmlFor={id}>{t("rules.minimumLabel")}</label>
      <div className="row">
        <input
          id={id}
          inputMode="numeric"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={problem !== null}
          aria-describedby={`${id}-help ${id}-problem`}
          data-testid="minimum-audience"
        />
        <button type="submit" disabled={busy} data-testid="minimum-save">
          {t("rules.minimumSave")}
        </button>
      </div>
      <p id={`${id}-problem`} className="field-error" role={problem ? "alert" : undefined} data-testid="minimum-problem">
        {problem}
      </p>
      {done && (
        <p className="state state-ok" role="status">
          {t("rules.minimumSaved", { count: number(saved) })}
        </p>
      )}
      {error !== null && <ErrorMessage error={error} />}
    </form>
  );
}
