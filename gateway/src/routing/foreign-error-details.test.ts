import { describe, expect, it } from "vitest";
import { foreignDetails } from "./foreign-error-details.js";

describe("details another brand's node may pass on", () => {
  it("keeps when a budget refills and when to retry", () => {
    expect(foreignDetails("BUDGET_EXHAUSTED", { refillsAt: "2026-12-31T16:00:00.000Z" })).toEqual({ refillsAt: "2026-12-31T16:00:00.000Z" });
    expect(foreignDetails("BUDGET_EXHAUSTED", { refillsAt: "2026-12-31T16:00:00Z" })).toEqual({ refillsAt: "2026-12-31T16:00:00Z" });
    expect(foreignDetails("RATE_LIMITED", { retryAfterMs: 250 })).toEqual({ retryAfterMs: 250 });
  });

  it("drops every other detail, and the allowed ones when they are not plain short values", () => {
    // What a node might carry by mistake: member ids, row lists, nested objects, long text.
    expect(foreignDetails("NOT_FOUND", { ids: ["m1"] })).toBeUndefined();
    expect(foreignDetails("BAD_INPUT", { rows: [{ row: 1, field: "phone" }] })).toBeUndefined();
    expect(foreignDetails("BUDGET_EXHAUSTED", { refillsAt: "2026-12-31T16:00:00.000Z", phone: "13800000000" })).toEqual({ refillsAt: "2026-12-31T16:00:00.000Z" });
    // A refill time that is not an instant (a phone number, an email), a retry hint that is not a short delay.
    expect(foreignDetails("BUDGET_EXHAUSTED", { refillsAt: "+8613800000000" })).toBeUndefined();
    expect(foreignDetails("BUDGET_EXHAUSTED", { refillsAt: "li.na@example.com" })).toBeUndefined();
    expect(foreignDetails("RATE_LIMITED", { retryAfterMs: 13800000000 })).toBeUndefined();
    expect(foreignDetails("RATE_LIMITED", { retryAfterMs: 2.5 })).toBeUndefined();
    expect(foreignDetails("BUDGET_EXHAUSTED", { refillsAt: { member: "x" } })).toBeUndefined();
    expect(foreignDetails("RATE_LIMITED", { retryAfterMs: Number.NaN })).toBeUndefined();
    expect(foreignDetails("BUDGET_EXHAUSTED", { refillsAt: "x".repeat(65) })).toBeUndefined();
    expect(foreignDetails("BAD_EXPRESSION", { position: 7, reason: "UNEXPECTED_TOKEN" })).toBeUndefined();
    expect(foreignDetails("RATE_LIMITED", undefined)).toBeUndefined();
  });
});
