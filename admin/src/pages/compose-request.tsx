import { useId, useState } from "react";
import type { FormEvent } from "react";
import { GraphQLCallError } from "../api/graphql.js";
import { CREATE_REQUEST } from "../api/operations.js";
import { brandName } from "../components/brand-name.js";
import { ExpressionField, useExpressionCheck } from "../components/expression-field.js";
import { ErrorMessage } from "../components/states.js";
import type { MessageKey } from "../i18n/en.js";
import { useI18n } from "../i18n/i18n.js";
import { useSession } from "../session/session.js";
import { EstimatePanel } from "./estimate-panel.js";

const CHANNELS = ["SMS", "EMAIL", "MAIL"] as const;
type Channel = (typeof CHANNELS)[number];

const inDays = (days: number) => {
  const date = new Date(Date.now() + days * 86_400_000);
  date.setSeconds(0, 0);
  // datetime-local wants local time without a zone.
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

export function ComposeRequest({ onCreated }: { onCreated: () => void }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const id = useId();
  const partners = session.brands.filter((brand) => brand.admitted && brand.id !== session.viewer.brandId);
  const [targets, setTargets] = useState<string[]>([]);
  const [expression, setExpression] = useState("");
  const [channel, setChannel] = useState<Channel>("SMS");
  const [subject, setSubject] = useState("");
  const [message, setMessage] = useState("");
  const [purpose, setPurpose] = useState("");
  const [cap, setCap] = useState("1000");
  const [expiresAt, setExpiresAt] = useState(() => inDays(7));
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState(false);
  const [busy, setBusy] = useState(false);
  const check = useExpressionCheck(expression);
  const toggle = (brand: string) => setTargets((list) => (list.includes(brand) ? list.filter((b) => b !== brand) : [...list, brand]));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setCreated(false);
    if (targets.length === 0) return setError(new GraphQLCallError("BAD_INPUT", t("requests.pickTargets")));
    if (!check?.ok) return;
    setBusy(true);
    try {
      await session.ask(CREATE_REQUEST, {
        input: {
          targetBrandIds: targets,
          expression,
          channel,
          subject: channel === "EMAIL" && subject.trim() !== "" ? subject : null,
          message,
          purpose,
          maxRecipientsPerBrand: Number(cap),
          expiresAt: new Date(expiresAt).toISOString(),
        },
      });
      setCreated(true);
      onCreated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`} className="card">
      <h2 id={`${id}-title`}>{t("requests.composeTitle")}</h2>
      <form onSubmit={submit} noValidate>
        <fieldset className="fieldset">
          <legend>{t("requests.targets")}</legend>
          <div className="checks">
            {partners.map((brand) => (
              <label key={brand.id}>
                <input type="checkbox" checked={targets.includes(brand.id)} onChange={() => toggle(brand.id)} data-testid={`target-check-${brand.id}`} />
                {brandName(session.brands, brand.id, locale)}
              </label>
            ))}
          </div>
        </fieldset>
        <ExpressionField label={t("requests.expression")} value={expression} onChange={setExpression} help={t("requests.expressionHelp")} required />
        <div className="row">
          <span>
            <label htmlFor={`${id}-channel`}>{t("requests.channel")}</label>
            <select id={`${id}-channel`} value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}` as MessageKey)}
                </option>
              ))}
            </select>
          </span>
          <span>
            <label htmlFor={`${id}-cap`}>{t("requests.cap")}</label>
            <input id={`${id}-cap`} inputMode="numeric" value={cap} onChange={(e) => setCap(e.target.value)} />
          </span>
          <span>
            <label htmlFor={`${id}-expires`}>{t("requests.expiresAt")}</label>
            <input id={`${id}-expires`} type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
          </span>
        </div>
        <label htmlFor={`${id}-purpose`}>{t("requests.purpose")}</label>
        <input id={`${id}-purpose`} className="wide" value={purpose} onChange={(e) => setPurpose(e.target.value)} required data-testid="purpose" />
        {channel === "EMAIL" && (
          <>
            <label htmlFor={`${id}-subject`}>{t("requests.subject")}</label>
            <input id={`${id}-subject`} className="wide" value={subject} onChange={(e) => setSubject(e.target.value)} />
          </>
        )}
        <label htmlFor={`${id}-message`}>{t("requests.message")}</label>
        <textarea id={`${id}-message`} value={message} onChange={(e) => setMessage(e.target.value)} rows={3} aria-describedby={`${id}-message-help`} data-testid="message" />
        <p id={`${id}-message-help`} className="help">
          {t("requests.messageHelp")}
        </p>
        <EstimatePanel targets={targets} expression={check?.ok ? expression : null} channel={channel} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !check?.ok}>
            {t("requests.submit")}
          </button>
        </div>
        {created && (
          <p className="state state-ok" role="status">
            {t("requests.created")}
          </p>
        )}
        {error !== null && <ErrorMessage error={error} />}
      </form>
    </section>
  );
}
