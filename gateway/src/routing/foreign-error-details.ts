import type { ErrorCode } from "@brandpool/errors";

type DetailCheck = (value: unknown) => boolean;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const isInstant: DetailCheck = (value) => typeof value === "string" && ISO_INSTANT.test(value);
const isRetryDelay: DetailCheck = (value) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 60_000;

/**
 * Details another brand's node may pass on, by code, each checked for its shape: when a budget
 * refills (an ISO instant) and when to retry (1 ms to a minute). Nothing else, not even positions
 * in the caller's own expression: a node's mistake cannot carry anything out through them.
 */
const FOREIGN_DETAILS: Partial<Record<ErrorCode, Readonly<Record<string, DetailCheck>>>> = {
  BUDGET_EXHAUSTED: { refillsAt: isInstant },
  RATE_LIMITED: { retryAfterMs: isRetryDelay },
};

export function foreignDetails(code: ErrorCode, details: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const allowed = FOREIGN_DETAILS[code];
  if (!allowed || !details) return undefined;
  const kept = Object.fromEntries(Object.entries(allowed).flatMap(([key, check]) => (check(details[key]) ? [[key, details[key]]] : [])));
  return Object.keys(kept).length > 0 ? kept : undefined;
}
