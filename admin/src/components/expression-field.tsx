import { useId, useMemo, useState } from "react";
import { checkExpression } from "../expression/check-expression.js";
import type { ExpressionCheck } from "../expression/check-expression.js";
import { describeExpression } from "../expression/describe-expression.js";
import type { MessageKey } from "../i18n/en.js";
import { useI18n } from "../i18n/i18n.js";
import { useSession } from "../session/session.js";

export function useExpressionCheck(value: string): ExpressionCheck | null {
  const { taxonomy } = useSession();
  return useMemo(() => (value.trim() === "" ? null : checkExpression(value, taxonomy)), [value, taxonomy]);
}

/**
 * A tag-expression input checked on every keystroke in the browser (no request: typing spends no
 * budget), its error beside it with the position, and a tag picker from the taxonomy.
 */
export function ExpressionField({
  label,
  value,
  onChange,
  help,
  required,
  picker = true,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  help?: string;
  required?: boolean;
  picker?: boolean;
}) {
  const { t, locale } = useI18n();
  const { taxonomy } = useSession();
  const id = useId();
  const check = useExpressionCheck(value);
  const [search, setSearch] = useState("");
  const [picked, setPicked] = useState("");
  const words = { and: t("expr.and"), or: t("expr.or"), not: t("expr.not"), label: (tag: { labelZh: string; labelEn: string } | undefined, key: string) => (tag ? (locale === "zh-CN" ? tag.labelZh : tag.labelEn) : key) };
  const problem =
    check && !check.ok
      ? check.kind === "syntax"
        ? t("requests.exprError", { position: check.position, message: t(`expr.reason.${check.reason}` as MessageKey) })
        : t(check.kind === "unknown" ? "requests.unknownTag" : "requests.sensitiveTag", { position: check.position, tag: check.tag })
      : null;
  const options = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return [...taxonomy.values()]
      .filter((tag) => !tag.sensitive)
      .filter((tag) => needle === "" || `${tag.key} ${tag.labelEn} ${tag.labelZh}`.toLowerCase().includes(needle))
      .slice(0, 200);
  }, [taxonomy, search]);
  const current = options.some((tag) => tag.key === picked) ? picked : (options[0]?.key ?? "");
  const add = () => {
    const key = current;
    if (!key) return;
    onChange(value.trim() === "" ? key : `${value.trim()} and ${key}`);
  };
  return (
    <div className="expression-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="wide"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={problem !== null}
        aria-describedby={`${id}-help ${id}-check`}
        aria-required={required}
        spellCheck={false}
        autoComplete="off"
        data-testid="expression-input"
      />
      {help && (
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      )}
      <p id={`${id}-check`} className={problem ? "field-error" : "field-ok"} data-testid="expression-check" aria-live="polite">
        {problem ?? (check?.ok ? t("requests.expressionOk", { words: describeExpression(check.expression, taxonomy, words) }) : "")}
      </p>
      {picker && (
        <div className="tag-picker">
          <span>
            <label htmlFor={`${id}-search`}>{t("requests.tagPickerSearch")}</label>
            <input id={`${id}-search`} value={search} onChange={(e) => setSearch(e.target.value)} />
          </span>
          <span>
            <label htmlFor={`${id}-pick`}>{t("requests.tagPicker")}</label>
            <select id={`${id}-pick`} value={current} onChange={(e) => setPicked(e.target.value)} data-testid="tag-picker">
              {options.map((tag) => (
                <option key={tag.key} value={tag.key}>
                  {locale === "zh-CN" ? tag.labelZh : tag.labelEn} ({tag.key})
                </option>
              ))}
            </select>
          </span>
          <button type="button" onClick={add}>
            {t("requests.tagPickerAdd")}
          </button>
        </div>
      )}
    </div>
  );
}
