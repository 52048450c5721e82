import type { MessageKey } from "../i18n/en.js";
import { useI18n } from "../i18n/i18n.js";

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status.toLowerCase()}`}>{t(`status.${status}` as MessageKey)}</span>;
}
