import { describe, expect, it } from "vitest";
import type { DeliveryOutcome } from "./delivery-outcome.type.js";
import { DEFAULT_RETRY_POLICY, decideRetry } from "./retry-policy.js";
import type { RetryPolicy } from "./retry-policy.js";

const transient: DeliveryOutcome = { status: "RETRY", reason: "WEBHOOK_TRANSIENT", retryAfterMs: 0, code: 503 };
const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 5_000 };

describe("decideRetry", () => {
  it("stops at once for DELIVERED, FAILED and AMBIGUOUS, whatever the attempt (an ambiguous SMTP send is never re-sent)", () => {
    const finals: DeliveryOutcome[] = [
      { status: "DELIVERED" },
      { status: "FAILED", reason: "SMTP_REJECTED", code: 550 },
      { status: "AMBIGUOUS", reason: "SMTP_CONNECTION_LOST" },
    ];
    for (const outcome of finals) {
      expect(decideRetry(outcome, 1, 0.5, policy)).toEqual({ action: "STOP", final: outcome.status });
    }
  });

  it("retries a transient outcome within the exponential step, jitter from 0 to just under the step", () => {
    // attempt n's step is base * 2^(n-1), capped: 1 s, 2 s, 4 s
    const steps = [1_000, 2_000, 4_000];
    steps.forEach((step, index) => {
      const attempt = index + 1;
      expect(decideRetry(transient, attempt, 0, policy)).toEqual({ action: "RETRY", delayMs: 0, nextAttempt: attempt + 1 });
      const high = decideRetry(transient, attempt, 0.999_999, policy);
      expect(high).toMatchObject({ action: "RETRY", nextAttempt: attempt + 1 });
      if (high.action !== "RETRY") throw new Error("expected RETRY");
      expect(high.delayMs).toBeLessThan(step);
      expect(high.delayMs).toBeGreaterThanOrEqual(step - 1);
    });
  });

  it("gives up once maxAttempts attempts were made, and never exceeds maxDelayMs however many attempts", () => {
    expect(decideRetry(transient, 4, 0.5, policy)).toEqual({ action: "STOP", final: "GAVE_UP" });
    const many: RetryPolicy = { maxAttempts: 2_000, baseDelayMs: 1_000, maxDelayMs: 5_000 };
    // 2^1500 is Infinity in doubles: the cap must still hold and the delay stay finite
    const late = decideRetry(transient, 1_500, 0.999, many);
    if (late.action !== "RETRY") throw new Error("expected RETRY");
    expect(late.delayMs).toBeLessThanOrEqual(5_000);
    expect(Number.isFinite(late.delayMs)).toBe(true);
  });

  it("waits at least the channel's Retry-After hint, capped at maxDelayMs, and ignores a hint that is not a number", () => {
    const hinted: DeliveryOutcome = { ...transient, retryAfterMs: 3_000 };
    expect(decideRetry(hinted, 1, 0, policy)).toMatchObject({ delayMs: 3_000 });
    const huge: DeliveryOutcome = { ...transient, retryAfterMs: 86_400_000 };
    expect(decideRetry(huge, 1, 0, policy)).toMatchObject({ delayMs: 5_000 });
    const broken: DeliveryOutcome = { ...transient, retryAfterMs: Number.NaN };
    expect(decideRetry(broken, 1, 0, policy)).toMatchObject({ delayMs: 0 });
  });

  it("refuses an attempt below 1, a random outside [0, 1) and a policy that makes no sense", () => {
    expect(() => decideRetry(transient, 0, 0.5)).toThrow(RangeError);
    expect(() => decideRetry(transient, 1.5, 0.5)).toThrow(RangeError);
    expect(() => decideRetry(transient, 1, 1)).toThrow(RangeError);
    expect(() => decideRetry(transient, 1, -0.1)).toThrow(RangeError);
    expect(() => decideRetry(transient, 1, Number.NaN)).toThrow(RangeError);
    expect(() => decideRetry(transient, 1, 0.5, { ...DEFAULT_RETRY_POLICY, maxAttempts: 0 })).toThrow(RangeError);
    expect(() => decideRetry(transient, 1, 0.5, { ...DEFAULT_RETRY_POLICY, maxDelayMs: 1 })).toThrow(RangeError);
  });
});
