import { describe, expect, it } from "vitest";
import {
  agreesWithin,
  audienceAccuracy,
  averagingAttack,
  differencingAttack,
  noiseVariance,
  percentile95,
  relativeDifference,
  reportMechanism,
  Z95,
  type CountMechanism,
} from "./accuracy-report.js";
import { parseEpsilon } from "./discrete-laplace.js";
import { margin95 } from "./margin95.js";

const SEED = "accuracy-report-test";
// The tolerance the report is held to: its empirical 95% error within 10% of what is stated.
const TOLERANCE = 0.1;
const mechanism = (epsilon: string, seed = SEED): CountMechanism =>
  reportMechanism(seed, parseEpsilon(epsilon));

// A mechanism whose questions 2j and 2j+1 share one noise draw, as if the key merged questions
// that differ in meaning: averaging then gains half as much as it should.
function pairedNoise(real: CountMechanism): CountMechanism {
  return {
    ...real,
    release: (questionKey, exact) =>
      real.release(questionKey.replace(/\d+$/, (i) => String(Math.floor(Number(i) / 2))), exact),
  };
}

describe("percentile95", () => {
  it("is the nearest-rank 95th percentile of the absolute values", () => {
    expect(percentile95(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(95);
    expect(percentile95(Array.from({ length: 20 }, (_, i) => -(i + 1)))).toBe(19);
    expect(percentile95([7])).toBe(7);
    expect(() => percentile95([])).toThrow();
  });
});

describe("relativeDifference", () => {
  it("is signed and handles a zero margin", () => {
    expect(relativeDifference(33, 30)).toBeCloseTo(0.1, 12);
    expect(relativeDifference(27, 30)).toBeCloseTo(-0.1, 12);
    expect(relativeDifference(0, 0)).toBe(0);
    expect(relativeDifference(1, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("audienceAccuracy against the stated margin95", () => {
  // 20,000 draws take about 0.1 s. The empirical percentile sits where the tail share crosses 5%:
  // at epsilon 0.1 the 10% band 27..33 has tail shares 0.064 and 0.035 at its ends, 8 standard
  // errors from 0.05; at epsilon 0.5 the band admits only 6, with shares 0.062 at 5 and 0.038 at
  // 6, again 8 standard errors away. So a correct mechanism fails with negligible odds.
  const DRAWS = 20_000;

  it.each([
    ["0.1", 30, 100],
    ["0.1", 30, 1_000_000],
    ["0.5", 6, 1_000],
  ])("at epsilon %s agrees with margin95 %s within 10% (audience %s)", (epsilon, stated, audience) => {
    const row = audienceAccuracy(mechanism(epsilon), audience, DRAWS);
    expect(row.margin95).toBe(stated);
    expect(Math.abs(row.relativeDifference)).toBeLessThanOrEqual(TOLERANCE);
    // The share within margin95 is 1 - P(|X| > m), within 5 standard errors.
    const p = row.expectedWithinMargin;
    expect(Math.abs(row.withinMargin - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / DRAWS));
  });

  it.each([
    // margin95 of a nearby epsilon: 25 and 37 at epsilon 0.1 (30), 5 and 7 at epsilon 0.5 (6).
    ["0.1", 0.12],
    ["0.1", 0.08],
    ["0.5", 0.6],
    ["0.5", 0.4],
  ])("at epsilon %s fails the 10-percent check when the stated margin is margin95(%s)", (
    epsilon,
    wrong,
  ) => {
    const real = mechanism(epsilon);
    const honest = audienceAccuracy(real, 1_000, DRAWS);
    expect(agreesWithin(honest.empirical95, honest.margin95, TOLERANCE)).toBe(true);
    expect(agreesWithin(honest.empirical95, margin95(wrong), TOLERANCE)).toBe(false);
    // The same through the report: a mechanism that states the wrong margin is flagged.
    const misstated = audienceAccuracy({ ...real, margin95: margin95(wrong) }, 1_000, DRAWS);
    expect(Math.abs(misstated.relativeDifference)).toBeGreaterThan(TOLERANCE);
  });

  it("fails the 10% check when the noise is drawn at another epsilon than the one stated", () => {
    const drawnAt012 = mechanism("0.12");
    const row = audienceAccuracy({ ...drawnAt012, margin95: margin95(0.1) }, 1_000, DRAWS);
    expect(Math.abs(row.relativeDifference)).toBeGreaterThan(TOLERANCE);
  });

  it("is deterministic in the seed and changes with it", () => {
    const draws = (seed: string): number[] =>
      Array.from({ length: 50 }, (_, i) => mechanism("0.1", seed).release(`q/${i}`, 1_000));
    expect(draws("a")).toEqual(draws("a"));
    expect(draws("b")).not.toEqual(draws("a"));
    expect(audienceAccuracy(mechanism("0.1"), 100, 2_000)).toEqual(
      audienceAccuracy(mechanism("0.1"), 100, 2_000),
    );
  });
});

describe("averaging and differencing attacks", () => {
  // With 2,000 trials at the largest n, the 95th percentile of a near-normal mean has a relative
  // standard error of about 2.1%, so the 10% tolerance is about 5 standard errors; at n >= 25 the
  // normal approximation is off by under 1% (excess kurtosis 3/n).
  const TRIALS = 2_000;
  const real = mechanism("0.1");
  const theory = (n: number): number => Z95 * Math.sqrt(noiseVariance(0.1) / n);

  it("narrows the mean of n answers as 1/sqrt(n), within 10% of 1.96 sd / sqrt(n)", () => {
    const [one, n25, n100] = averagingAttack(real, {
      exact: 10_000,
      questionCounts: [1, 25, 100],
      trials: TRIALS,
    });
    // At n = 1 the distribution is the Laplace itself, whose 95% error is margin95, not 1.96 sd.
    expect(agreesWithin(one?.empirical95 ?? Number.NaN, 30, TOLERANCE)).toBe(true);
    expect(agreesWithin(n25?.empirical95 ?? Number.NaN, theory(25), TOLERANCE)).toBe(true);
    expect(agreesWithin(n100?.empirical95 ?? Number.NaN, theory(100), TOLERANCE)).toBe(true);
    expect(n100?.theory95).toBeCloseTo(theory(100), 12);
    // Four times the answers, half the error.
    const ratio = (n25?.empirical95 ?? Number.NaN) / (n100?.empirical95 ?? Number.NaN);
    expect(Math.abs(ratio - 2) / 2).toBeLessThanOrEqual(TOLERANCE);
    // The check has power: n^-0.4 shrinkage (a law off by 10^0.2 = 1.58 at n = 100) fails it.
    expect(agreesWithin(n100?.empirical95 ?? Number.NaN, 30 / 100 ** 0.4, TOLERANCE)).toBe(false);
  });

  it("fails the 1/sqrt(n) check when pairs of questions share their noise", () => {
    const [n100] = averagingAttack(pairedNoise(real), {
      exact: 10_000,
      questionCounts: [100],
      trials: 1_000,
    });
    // Shared noise doubles the mean's variance: sqrt(2) times the error, 41% over theory.
    expect(agreesWithin(n100?.empirical95 ?? Number.NaN, theory(100), TOLERANCE)).toBe(false);
  });

  it("makes a differenced count twice as noisy as a directly averaged one", () => {
    const [, n100] = differencingAttack(real, {
      exact: 10_000,
      other: 10_000,
      questionCounts: [2, 100],
      trials: TRIALS,
    });
    expect(n100?.trials).toBe(TRIALS);
    expect(n100?.theory95).toBeCloseTo(2 * theory(100), 12);
    expect(agreesWithin(n100?.empirical95 ?? Number.NaN, 2 * theory(100), TOLERANCE)).toBe(true);
    expect(agreesWithin(n100?.empirical95 ?? Number.NaN, theory(100), TOLERANCE)).toBe(false);
  });

  it("refuses an odd question count for the difference attack", () => {
    expect(() =>
      differencingAttack(real, { exact: 10, other: 10, questionCounts: [3], trials: 10 }),
    ).toThrow(Error);
  });
});
