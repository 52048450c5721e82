import type { MessageKey } from "../i18n/en.js";
import { useI18n } from "../i18n/i18n.js";
import type { OutreachTarget } from "./outreach.types.js";

/** A minute's slack: a send time this close is "now". */
const NOW_SLACK_MS = 60_000;

/**
 * What the owner's own node says beside a waiting request: the exact audience it may reach in the
 * owner's data, what the owner's sharing rules in force say, and when it would be sent if approved
 * now (past quiet hours). The owner's approvers and admins only; the requester never gets these.
 */
export function ReviewFacts({ target, channel }: { target: OutreachTarget; channel: string }) {
  const { t, number, dateTime } = useI18n();
  const rules = target.rulesDecision ?? null;
  const sendsAt = target.sendsAt ?? null;
  return (
    <dl className="summary review" data-testid="review-facts">
      <dt>{t("inbox.exactAudience")}</dt>
      <dd data-testid="exact-audience">
        {target.exactAudience == null
          ? t("inbox.unknown")
          : t("inbox.exactAudienceValue", { count: number(target.exactAudience), channel: t(`channel.${channel}` as MessageKey) })}
      </dd>
      <dt>{t("inbox.rulesSay")}</dt>
      <dd data-testid="rules-say">
        {rules === null ? (
          t("inbox.unknown")
        ) : (
          <>
            <span className={`badge ${rules.decision === "APPROVE" ? "badge-approved" : rules.decision === "DECLINE" ? "badge-declined" : "badge-pending"}`}>
              {t(`rules.decision.${rules.decision}`)}
            </span>{" "}
            {rules.reasons.length > 0 ? rules.reasons.map((id) => <code key={id} className="policy-id">{id}</code>) : t("rules.noReason")}
          </>
        )}
      </dd>
      <dt>{t("inbox.sendsAt")}</dt>
      <dd data-testid="sends-at">
        {sendsAt === null ? t("inbox.sendsNever") : Date.parse(sendsAt) - Date.now() <= NOW_SLACK_MS ? t("inbox.sendsNow") : t("inbox.sendsLater", { date: dateTime(sendsAt) })}
      </dd>
    </dl>
  );
}
