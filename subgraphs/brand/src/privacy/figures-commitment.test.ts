import { describe, expect, it } from "vitest";
import { exactCommitment, figuresCommitment } from "./noisy-count.js";

const SECRET = "s".repeat(32);
const EXACT = { contacted: 287, delivered: 280, failed: 7, redeemed: 0 };

describe("figuresCommitment", () => {
  it("is fixed by the secret, scope, release and figures, whatever the figures' key order", () => {
    const commitment = figuresCommitment(SECRET, "req-1", "final", EXACT);
    expect(commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(figuresCommitment(SECRET, "req-1", "final", { redeemed: 0, failed: 7, delivered: 280, contacted: 287 })).toBe(commitment);
  });

  it("changes with any figure, the release, the scope or the secret", () => {
    const commitment = figuresCommitment(SECRET, "req-1", "final", EXACT);
    expect(figuresCommitment(SECRET, "req-1", "final", { ...EXACT, contacted: 288 })).not.toBe(commitment);
    expect(figuresCommitment(SECRET, "req-1", "daily:2026-12-02", EXACT)).not.toBe(commitment);
    expect(figuresCommitment(SECRET, "req-2", "final", EXACT)).not.toBe(commitment);
    expect(figuresCommitment("t".repeat(32), "req-1", "final", EXACT)).not.toBe(commitment);
    // Never equal to a single-figure commitment of an estimate.
    expect(exactCommitment(SECRET, "figures", "req-1", 287)).not.toBe(figuresCommitment(SECRET, "req-1", "", { contacted: 287 }));
  });

  it("refuses figures it could not commit to faithfully", () => {
    expect(() => figuresCommitment(SECRET, "req-1", "final", {})).toThrow();
    expect(() => figuresCommitment(SECRET, "req-1", "final", { contacted: -1 })).toThrow();
    expect(() => figuresCommitment(SECRET, "req-1", "final", { contacted: 1.5 })).toThrow();
    expect(() => figuresCommitment(SECRET, "req\u00001", "final", EXACT)).toThrow();
    expect(() => figuresCommitment(SECRET, "req-1", "final", { "a=b": 1 })).toThrow();
  });
});
