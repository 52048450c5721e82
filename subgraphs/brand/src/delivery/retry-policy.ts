import type { DeliveryOutcome } from "./delivery-outcome.type.js";

/** When and how often a message is tried again. */
export interface RetryPolicy {
  /** Attempts in all, the first included; default 5. */
  maxAttempts: number;
  /** Backoff before the second attempt, doubled for each later one; default 30 s. */
  baseDelayMs: number;
  /** No delay is longer; default 1 hour. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
});

/**
 * What to do after an attempt: try again after `delayMs`, or stop with the message's final
 * status. Only `RETRY` is ever tried again: `FAILED` is permanent and `AMBIGUOUS` may have gone
 * out (DESIGN.md, lifecycle step 4).
 */
export type RetryDecision =
  | { action: "RETRY"; delayMs: number; nextAttempt: number }
  | { action: "STOP"; final: "DELIVERED" | "FAILED" | "AMBIGUOUS" | "GAVE_UP" };

/**
 * Decides the next step from the outcome of attempt number `attempt` (1 for the first). Pure:
 * the jitter comes in as `random`, a number in [0, 1). The delay is "full jitter" over the
 * exponential step, `random * min(maxDelayMs, baseDelayMs * 2^(attempt - 1))`, but never shorter
 * than the channel's own `retryAfterMs` (capped at `maxDelayMs` too).
 */
export function decideRetry(
  outcome: DeliveryOutcome,
  attempt: number,
  random: number,
  policy: Readonly<RetryPolicy> = DEFAULT_RETRY_POLICY,
): RetryDecision {
  assertPolicy(policy);
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError("attempt must be an integer of at least 1");
  if (!(random >= 0 && random < 1)) throw new RangeError("random must be in [0, 1)");
  switch (outcome.status) {
    case "DELIVERED":
    case "FAILED":
    case "AMBIGUOUS":
      return { action: "STOP", final: outcome.status };
    case "RETRY": {
      if (attempt >= policy.maxAttempts) return { action: "STOP", final: "GAVE_UP" };
      // 2^(attempt - 1) overflows to Infinity long before it matters; min() keeps it finite.
      const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const suggested = Number.isFinite(outcome.retryAfterMs) ? Math.max(0, outcome.retryAfterMs) : 0;
      const hint = Math.min(policy.maxDelayMs, suggested);
      return { action: "RETRY", delayMs: Math.max(hint, Math.floor(random * step)), nextAttempt: attempt + 1 };
    }
  }
}

function assertPolicy(policy: Readonly<RetryPolicy>): void {
  const { maxAttempts, baseDelayMs, maxDelayMs } = policy;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError("maxAttempts must be an integer of at least 1");
  if (!Number.isFinite(baseDelayMs) || baseDelayMs < 0) throw new RangeError("baseDelayMs must be finite and not negative");
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < baseDelayMs) throw new RangeError("maxDelayMs must be finite and at least baseDelayMs");
}
