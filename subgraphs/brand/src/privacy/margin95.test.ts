import { describe, expect, it } from "vitest";
import { margin95, tailProbability } from "./margin95.js";

// Expected values worked by hand from P(|X| > m) = 2a^(m+1)/(1+a), a = e^-epsilon:
//
// epsilon = 0.1: a = e^-0.1 = 0.904837, 1 + a = 1.904837
//   m = 29: 2 e^-3.0 / 1.904837 = 2 * 0.049787 / 1.904837 = 0.052274 > 0.05
//   m = 30: 2 e^-3.1 / 1.904837 = 2 * 0.045049 / 1.904837 = 0.047300 <= 0.05  -> margin 30
// epsilon = 1: a = e^-1 = 0.367879, 1 + a = 1.367879
//   m = 2: 2 e^-3 / 1.367879 = 2 * 0.049787 / 1.367879 = 0.072795 > 0.05
//   m = 3: 2 e^-4 / 1.367879 = 2 * 0.018316 / 1.367879 = 0.026780 <= 0.05  -> margin 3
// epsilon = 2: a = e^-2 = 0.135335, 1 + a = 1.135335
//   m = 0: 2 e^-2 / 1.135335 = 0.238403 > 0.05
//   m = 1: 2 e^-4 / 1.135335 = 0.032266 <= 0.05                             -> margin 1
// epsilon = 5: a = e^-5 = 0.006738; m = 0: 2 * 0.006738 / 1.006738 = 0.013385 -> margin 0

describe("tailProbability", () => {
  it("matches the hand-computed values", () => {
    expect(tailProbability(0.1, 29)).toBeCloseTo(0.052274, 6);
    expect(tailProbability(0.1, 30)).toBeCloseTo(0.0473, 6);
    expect(tailProbability(1, 2)).toBeCloseTo(0.072795, 6);
    expect(tailProbability(1, 3)).toBeCloseTo(0.02678, 6);
  });

  it("equals the sum of the pmf beyond m", () => {
    const epsilon = 0.3;
    const a = Math.exp(-epsilon);
    let tail = 0;
    for (let x = 8; x < 2000; x += 1) tail += 2 * ((1 - a) / (1 + a)) * a ** x;
    expect(tailProbability(epsilon, 7)).toBeCloseTo(tail, 12);
  });

  it("refuses a negative or fractional m and a non-positive epsilon", () => {
    expect(() => tailProbability(0.1, -1)).toThrow();
    expect(() => tailProbability(0.1, 1.5)).toThrow();
    expect(() => tailProbability(0, 3)).toThrow();
  });
});

describe("margin95", () => {
  it.each([
    [0.1, 30],
    [1, 3],
    [2, 1],
    [5, 0],
  ])("is %s -> %s", (epsilon, expected) => {
    expect(margin95(epsilon)).toBe(expected);
  });

  it("is the smallest m with tail <= 0.05 across many epsilons", () => {
    const epsilons = [0.000001, 0.01, 0.05, 0.1, 0.15, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];
    for (const epsilon of epsilons) {
      const m = margin95(epsilon);
      expect(tailProbability(epsilon, m)).toBeLessThanOrEqual(0.05);
      if (m > 0) expect(tailProbability(epsilon, m - 1)).toBeGreaterThan(0.05);
    }
  });

  it.each([0, -0.1, Number.NaN, Number.POSITIVE_INFINITY])("refuses epsilon %s", (epsilon) => {
    expect(() => margin95(epsilon)).toThrow(Error);
  });
});
