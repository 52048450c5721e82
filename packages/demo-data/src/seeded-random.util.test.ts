import { describe, expect, it } from "vitest";
import { ageOn, civilFromDays, daysFromCivil, formatIsoDate } from "./civil-date.util.js";
import { feistelPermute } from "./feistel-permutation.util.js";
import { SeededRandom } from "./seeded-random.util.js";

describe("SeededRandom", () => {
  it("repeats its sequence for the same seed and differs for another", () => {
    const draw = (seed: string) => {
      const rng = new SeededRandom(seed);
      return Array.from({ length: 5 }, () => rng.nextUint32());
    };
    expect(draw("a")).toEqual(draw("a"));
    expect(draw("a")).not.toEqual(draw("b"));
  });

  it("gives adjacent streams unrelated first draws", () => {
    const rng = new SeededRandom("x");
    const base = [1, 2, 3, 4] as const;
    const firsts = new Set<number>();
    for (let stream = 0; stream < 10_000; stream++) {
      rng.reseed(base, stream);
      firsts.add(rng.nextUint32());
    }
    expect(firsts.size).toBe(10_000);
  });

  it("draws floats in [0, 1) with a plausible mean", () => {
    const rng = new SeededRandom("mean");
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      if (x < 0 || x >= 1) outside++;
      sum += x;
    }
    expect(outside).toBe(0);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });
});

describe("civil dates", () => {
  it("round-trips days and dates, leap days included", () => {
    for (const [y, m, d] of [[1970, 1, 1], [2000, 2, 29], [1947, 12, 31], [2026, 11, 1]] as const) {
      expect(civilFromDays(daysFromCivil(y, m, d))).toEqual({ year: y, month: m, day: d });
    }
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(formatIsoDate(daysFromCivil(2024, 2, 29))).toBe("2024-02-29");
  });

  it("counts age the way people do", () => {
    expect(ageOn("2000-11-01", "2026-11-01")).toBe(26);
    expect(ageOn("2000-11-02", "2026-11-01")).toBe(25);
  });
});

describe("feistelPermute", () => {
  it("is a bijection on its domain", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(feistelPermute(i, 100, [7, 11, 13, 17]));
    expect(seen.size).toBe(10_000);
    expect(Math.max(...seen)).toBe(9_999);
  });
});
