import { describe, expect, it } from "vitest";
import { amountOfNumber, fromMicros, isGreater, minusAtLeastZero, toMicros } from "./epsilon-amount.js";

describe("epsilon amounts", () => {
  it("adds a hundred charges of 0.1 to exactly 10", () => {
    let spent = 0n;
    for (let i = 0; i < 100; i += 1) spent += toMicros("0.1");
    expect(fromMicros(spent)).toBe("10");
    expect(minusAtLeastZero("10", fromMicros(spent))).toBe("0");
  });

  it("reads Postgres numerics with trailing zeros", () => {
    expect(toMicros("10.000000")).toBe(10_000_000n);
    expect(toMicros("0.100")).toBe(100_000n);
    expect(fromMicros(toMicros("9.900"))).toBe("9.9");
  });

  it("refuses what is not a decimal amount (negative, exponent, seven places, text)", () => {
    for (const bad of ["-1", "1e3", "0.0000001", "ten", ""]) expect(() => toMicros(bad), bad).toThrow(/not an epsilon amount/);
  });

  it("takes a caller's Float only when it is finite, non-negative and has at most six places", () => {
    expect(amountOfNumber(20)).toBe("20");
    expect(amountOfNumber(0.3)).toBe("0.3");
    expect(amountOfNumber(0)).toBe("0");
    expect(amountOfNumber(-0.1)).toBeNull();
    expect(amountOfNumber(Number.NaN)).toBeNull();
    expect(amountOfNumber(Number.POSITIVE_INFINITY)).toBeNull();
    expect(amountOfNumber(0.1234567)).toBeNull();
    // Huge values and ones just short of a whole number are refused, not rounded or thrown on.
    expect(amountOfNumber(1e13)).toBeNull();
    expect(amountOfNumber(1e21)).toBeNull();
    expect(amountOfNumber(19.9999999999)).toBeNull();
    expect(amountOfNumber(19.999999)).toBe("19.999999");
  });

  it("compares and subtracts without going below zero", () => {
    expect(isGreater("20.000001", "20")).toBe(true);
    expect(isGreater("20", "20")).toBe(false);
    expect(minusAtLeastZero("5", "7.5")).toBe("0");
    expect(minusAtLeastZero("10", "0.3")).toBe("9.7");
  });
});
