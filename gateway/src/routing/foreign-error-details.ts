import type { ErrorCode } from "@brandpool/errors";

/**
 * Details another brand's node may pass on, by code: when a budget refills and when to retry,
 * nothing else (not even positions in the caller's own expression). Plain short values only.
 */
const FOREIGN_DETAILS: Partial<Record<ErrorCode, readonly string[]>> = {
  BUDGET_EXHAUSTED: ["refillsAt"],
  RATE_LIMITED: ["retryAfterMs"],
};

export function foreignDetails(code: ErrorCode, details: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const allowed = FOREIGN_DETAILS[code];
  if (!allowed || !details) return undefined;
  const kept = Object.fromEntries(
    allowed.flatMap((key) => {
      const value = details[key];
      return (typeof value === "string" && value.length <= 64) || (typeof value === "number" && Number.isFinite(value)) ? [[key, value]] : [];
    }),
  );
  return Object.keys(kept).length > 0 ? kept : undefined;
}
