import { useState } from "react";
import { useI18n } from "../i18n/i18n.js";

/**
 * Forward Relay pagination with a way back to the first page: the cursors of the pages before
 * this one are kept, so no backward pagination is needed from the API. `reset` returns to the
 * first page (after a filter changes).
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    after: cursors[cursors.length - 1] ?? null,
    onFirst: cursors.length === 1,
    next: (endCursor: string | null) => setCursors((list) => [...list, endCursor]),
    reset: () => setCursors([null]),
  };
}

export function Pager({
  pages,
  pageInfo,
  testId,
}: {
  pages: ReturnType<typeof useCursorPages>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  testId: string;
}) {
  const { t } = useI18n();
  if (pages.onFirst && !pageInfo.hasNextPage) return null;
  return (
    <div className="pager">
      <button type="button" onClick={pages.reset} disabled={pages.onFirst}>
        {t("members.first")}
      </button>
      <button type="button" onClick={() => pages.next(pageInfo.endCursor)} disabled={!pageInfo.hasNextPage} data-testid={`${testId}-next`}>
        {t("members.next")}
      </button>
    </div>
  );
}
