import type { ReactNode } from "react";
import { GraphQLCallError } from "../api/graphql.js";
import { useI18n } from "../i18n/i18n.js";
import type { AsyncState } from "./use-async.js";

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {t("state.loading")}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <div className="state state-empty" role="status">
      <span className="state-icon" aria-hidden="true">∅</span> {children}
    </div>
  );
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const code = error instanceof GraphQLCallError ? error.code : "INTERNAL";
  const text =
    code === "FORBIDDEN"
      ? t("state.forbidden")
      : code === "UNAVAILABLE"
        ? t("state.unavailable")
        : t("state.error", { message: error instanceof Error ? error.message : String(error) });
  return (
    <div className="state state-error" role="alert">
      <span>
        <strong>{code}</strong> {text}
      </span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t("state.retry")}
        </button>
      )}
    </div>
  );
}

/** Loading, error or the content for the data. */
export function AsyncView<T>({ state, reload, children }: { state: AsyncState<T>; reload: () => void; children: (data: T) => ReactNode }) {
  if (state.status === "loading") return <Loading />;
  if (state.status === "error") return <ErrorMessage error={state.error} onRetry={reload} />;
  return <>{children(state.data)}</>;
}
