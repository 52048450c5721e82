import { useMemo } from "react";
import { describeExpression } from "../expression/describe-expression.js";
import { checkExpression } from "../expression/check-expression.js";
import { useI18n } from "../i18n/i18n.js";
import { useSession } from "../session/session.js";

/** The expression in words in the chosen language, or the text itself if it does not parse. */
export function useExpressionWords(): (expression: string) => string {
  const { t, locale } = useI18n();
  const { taxonomy } = useSession();
  return useMemo(() => {
    const words = {
      and: t("expr.and"),
      or: t("expr.or"),
      not: t("expr.not"),
      label: (tag: { labelZh: string; labelEn: string } | undefined, key: string) => (tag ? (locale === "zh-CN" ? tag.labelZh : tag.labelEn) : key),
    };
    return (expression: string) => {
      const checked = checkExpression(expression, taxonomy);
      return checked.ok ? describeExpression(checked.expression, taxonomy, words) : expression;
    };
  }, [t, locale, taxonomy]);
}
