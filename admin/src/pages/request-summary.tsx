import { MessagePreview } from "../components/message-preview.js";
import { useExpressionWords } from "../components/use-words.js";
import type { MessageKey } from "../i18n/en.js";
import { useI18n } from "../i18n/i18n.js";
import type { OutreachRequest } from "./outreach.types.js";

/** What a request asks: purpose, channel, audience in words, the message, its limits and times. */
export function RequestSummary({ request }: { request: OutreachRequest }) {
  const { t, dateTime, number } = useI18n();
  const words = useExpressionWords();
  return (
    <dl className="summary">
      <dt>{t("inbox.purpose")}</dt>
      <dd>{request.purpose}</dd>
      <dt>{t("inbox.channel")}</dt>
      <dd>{t(`channel.${request.channel}` as MessageKey)}</dd>
      <dt>{t("inbox.audience")}</dt>
      <dd>
        <span data-testid="expression-words">{words(request.expression)}</span> <code className="expression">{request.expression}</code>
      </dd>
      {request.subject && (
        <>
          <dt>{t("inbox.subject")}</dt>
          <dd>{request.subject}</dd>
        </>
      )}
      <dt>{t("inbox.message")}</dt>
      <dd>
        <MessagePreview text={request.message} />
      </dd>
      <dt>{t("inbox.limits")}</dt>
      <dd>
        {t("inbox.cap", { count: number(request.maxRecipientsPerBrand) })} · {t("inbox.sendAfter", { date: dateTime(request.sendAfter) })} ·{" "}
        {t("inbox.expires", { date: dateTime(request.expiresAt) })}
      </dd>
    </dl>
  );
}
