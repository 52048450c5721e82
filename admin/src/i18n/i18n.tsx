import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { en } from "./en.js";
import type { MessageKey, Messages } from "./en.js";
import { zh } from "./zh.js";

export type Locale = "zh-CN" | "en";
export const LOCALES: readonly Locale[] = ["zh-CN", "en"];
export const CATALOGS: Readonly<Record<Locale, Messages>> = { "zh-CN": zh, en };
const STORAGE_KEY = "brandpool.locale";

/** Shown instead of a missing text, so a browser test can find it. */
export const MISSING_MARK = "⟦missing:";

export type Params = Record<string, string | number>;

/** Fills `{name}` from params; a placeholder without a param is left as it is ({{coupon}}). */
export function translate(messages: Messages, key: MessageKey, params?: Params): string {
  const text = messages[key];
  if (text === undefined || text === "") return `${MISSING_MARK}${key}⟧`;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, params?: Params): string;
  number(value: number, digits?: number): string;
  dateTime(iso: string): string;
  date(iso: string): string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "zh-CN" || stored === "en") return stored;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLocaleState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const messages = CATALOGS[locale];
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
    return {
      locale,
      setLocale,
      t: (key, params) => translate(messages, key, params),
      number: (n, digits) => new Intl.NumberFormat(locale, digits === undefined ? {} : { maximumFractionDigits: digits }).format(n),
      dateTime: (iso) => (Number.isNaN(Date.parse(iso)) ? iso : dateTime.format(new Date(iso))),
      date: (iso) => (Number.isNaN(Date.parse(iso)) ? iso : date.format(new Date(iso))),
    };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
