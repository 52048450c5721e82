import { describe, expect, it } from "vitest";
import { COUPON_CODE_ALPHABET, COUPON_CODE_LENGTH, isCouponCode, newCouponCode, newCouponCodes, normalizeCouponCode } from "./coupon-code.js";

describe("newCouponCode", () => {
  it("uses Crockford's base32 (no I, L, O, U) and 13 characters, at least 64 random bits", () => {
    expect(COUPON_CODE_ALPHABET).toHaveLength(32);
    expect(COUPON_CODE_ALPHABET).not.toMatch(/[ILOU]/);
    expect(COUPON_CODE_LENGTH).toBe(13);
    expect(COUPON_CODE_LENGTH * Math.log2(COUPON_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(64);
  });

  it.each([
    ["one at a time", () => Array.from({ length: 10_000 }, () => newCouponCode())],
    ["from one draw (newCouponCodes)", () => newCouponCodes(10_000)],
  ])("makes 10,000 distinct codes of the right shape, %s, every character of the alphabet in use at every position", (_how, make) => {
    const codes = make();
    expect(codes).toHaveLength(10_000);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(isCouponCode(code), code).toBe(true);
    for (let position = 0; position < COUPON_CODE_LENGTH; position += 1) {
      const seen = new Set(codes.map((code) => code[position]));
      expect(seen.size, `position ${position}`).toBe(32);
    }
    // Roughly uniform: each character expected 10,000 x 13 / 32 ≈ 4,063 times.
    const counts = new Map<string, number>();
    for (const code of codes) for (const c of code) counts.set(c, (counts.get(c) ?? 0) + 1);
    for (const [c, n] of counts) expect(n, c).toBeGreaterThan(3_700);
  });
});

describe("isCouponCode", () => {
  it("refuses other shapes: wrong length, lower case, look-alike letters, separators", () => {
    const code = newCouponCode();
    for (const bad of [code.slice(1), `${code}0`, code.toLowerCase(), "0123456789ABI", "0123456789ABO", `${code.slice(0, 6)}-${code.slice(6)}`, ""]) {
      if (bad === code) continue;
      expect(isCouponCode(bad), bad).toBe(false);
    }
  });
});

describe("normalizeCouponCode", () => {
  it("reads a typed code as issued: case, spaces, hyphens and O/I/L look-alikes", () => {
    expect(normalizeCouponCode("7kq2-m9xo-iabl3")).toBe("7KQ2M9X01AB13");
    expect(isCouponCode(normalizeCouponCode("7kq2 m9xo iabl3"))).toBe(true);
  });
});
