import { useId } from "react";
import { LOCALES, useI18n } from "../i18n/i18n.js";
import type { Locale } from "../i18n/i18n.js";

const NAMES: Record<Locale, string> = { "zh-CN": "简体中文", en: "English" };

export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  const id = useId();
  return (
    <span className="language-switch">
      <label htmlFor={id}>{t("app.language")}</label>
      <select id={id} value={locale} onChange={(e) => setLocale(e.target.value as Locale)} data-testid="language">
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </span>
  );
}
