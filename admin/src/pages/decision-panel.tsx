import { useId, useState } from "react";
import type { FormEvent } from "react";
import { ErrorMessage } from "../components/states.js";
import type { MessageKey } from "../i18n/en.js";
import { useI18n } from "../i18n/i18n.js";
import type { OutreachRequest } from "./outreach.types.js";

type Mode = "idle" | "approve" | "decline";

/** Approve (optionally with a lower cap, after a confirmation naming the number) or decline with a reason. */
export function DecisionPanel({
  request,
  maxCap,
  audience = null,
  onDecide,
}: {
  request: OutreachRequest;
  maxCap: number;
  /** The exact audience the owner's node counts now: fewer than the cap will be contacted if fewer can be reached. */
  audience?: number | null;
  onDecide: (decision: "APPROVE" | "DECLINE", cap: number | null, reason: string | null) => Promise<void>;
}) {
  const { t, number } = useI18n();
  const [mode, setMode] = useState<Mode>("idle");
  const [cap, setCap] = useState("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const capId = useId();
  const reasonId = useId();
  const capValue = cap.trim() === "" ? null : Number(cap);
  const capValid = capValue === null || (Number.isInteger(capValue) && capValue >= 1 && capValue <= maxCap);
  const capped = capValue !== null && capValid ? capValue : maxCap;
  const contacted = audience !== null ? Math.min(capped, audience) : capped;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (mode === "approve" && !capValid) return setProblem(t("inbox.capTooHigh", { count: number(maxCap) }));
    if (mode === "decline" && reason.trim() === "") return setProblem(t("inbox.reasonRequired"));
    setProblem(null);
    setBusy(true);
    try {
      await onDecide(mode === "approve" ? "APPROVE" : "DECLINE", mode === "approve" ? capValue : null, mode === "decline" ? reason.trim() : null);
      setMode("idle");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (mode === "idle") {
    return (
      <div className="actions">
        <button type="button" className="primary" onClick={() => setMode("approve")}>
          {t("inbox.approve")}
        </button>
        <button type="button" className="danger" onClick={() => setMode("decline")}>
          {t("inbox.decline")}
        </button>
      </div>
    );
  }
  const problemId = `${capId}-problem`;
  return (
    <form className="decision" onSubmit={submit}>
      {mode === "approve" ? (
        <>
          <label htmlFor={capId}>{t("inbox.lowerCap")}</label>
          <input
            id={capId}
            inputMode="numeric"
            value={cap}
            onChange={(e) => setCap(e.target.value)}
            aria-describedby={`${capId}-help ${problemId}`}
            aria-invalid={!capValid}
            data-testid="lower-cap"
            autoFocus
          />
          <p id={`${capId}-help`} className="help">
            {t("inbox.lowerCapHelp", { count: number(maxCap) })}
          </p>
          <p className="confirm" role="status" data-testid="approve-confirmation">
            {contacted < capped
              ? t("inbox.confirmApproveAll", { count: number(contacted), cap: number(capped), channel: t(`channel.${request.channel}` as MessageKey) })
              : t("inbox.confirmApprove", { count: number(contacted), channel: t(`channel.${request.channel}` as MessageKey) })}
          </p>
        </>
      ) : (
        <>
          <label htmlFor={reasonId}>{t("inbox.reason")}</label>
          <textarea id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} aria-describedby={problemId} data-testid="decline-reason" autoFocus />
        </>
      )}
      <p id={problemId} className="field-error" role={problem ? "alert" : undefined}>
        {problem}
      </p>
      {error !== null && <ErrorMessage error={error} />}
      <div className="actions">
        <button type="submit" className={mode === "approve" ? "primary" : "danger"} disabled={busy}>
          {mode === "approve" ? t("inbox.confirmApproveButton", { count: number(contacted) }) : t("inbox.confirmDecline")}
        </button>
        <button type="button" onClick={() => setMode("idle")} disabled={busy}>
          {t("inbox.cancel")}
        </button>
      </div>
    </form>
  );
}
