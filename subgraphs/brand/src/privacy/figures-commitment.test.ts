import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { exactCommitment, figuresCommitment } from "./noisy-count.js";

const SECRET = "node-secret-teabar";
const FIGURES = { contacted: 300, delivered: 250, failed: 40, redeemed: 7 };

describe("figuresCommitment", () => {
  it("is a deterministic hex HMAC-SHA256 under the commitments' derived key, whatever the order of the figures", () => {
    const commitment = figuresCommitment(SECRET, "outreach-results:r1", "release-1", FIGURES);
    expect(commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(figuresCommitment(SECRET, "outreach-results:r1", "release-1", { redeemed: 7, failed: 40, delivered: 250, contacted: 300 })).toBe(commitment);
    // Recomputed from its definition, so an auditor with the secret can check it independently.
    const key = createHmac("sha256", SECRET).update("brandpool/privacy/exact-commitment/v1").digest();
    const expected = createHmac("sha256", key).update("outreach-results:r1\u0000release-1\u0000contacted=300;delivered=250;failed=40;redeemed=7").digest("hex");
    expect(commitment).toBe(expected);
  });

  it("binds every figure, the label, the release and the secret", () => {
    const base = figuresCommitment(SECRET, "outreach-results:r1", "release-1", FIGURES);
    expect(figuresCommitment(SECRET, "outreach-results:r1", "release-1", { ...FIGURES, redeemed: 8 })).not.toBe(base);
    expect(figuresCommitment(SECRET, "outreach-results:r2", "release-1", FIGURES)).not.toBe(base);
    expect(figuresCommitment(SECRET, "outreach-results:r1", "release-2", FIGURES)).not.toBe(base);
    expect(figuresCommitment(`${SECRET}x`, "outreach-results:r1", "release-1", FIGURES)).not.toBe(base);
  });

  it("never equals an estimate's commitment over the same label and period", () => {
    expect(figuresCommitment(SECRET, "q", "2025-06", { a: 1 })).not.toBe(exactCommitment(SECRET, "q", "2025-06", 1));
  });

  it("refuses figures it could not commit to unambiguously", () => {
    expect(() => figuresCommitment(SECRET, "q", "p", {})).toThrow();
    expect(() => figuresCommitment(SECRET, "q", "p", { a: -1 })).toThrow();
    expect(() => figuresCommitment(SECRET, "q", "p", { a: 1.5 })).toThrow();
    expect(() => figuresCommitment(SECRET, "q", "p", { "a=1;b": 1 })).toThrow();
    expect(() => figuresCommitment(SECRET, "q\u0000", "p", { a: 1 })).toThrow();
    expect(() => figuresCommitment("", "q", "p", { a: 1 })).toThrow();
  });
});
