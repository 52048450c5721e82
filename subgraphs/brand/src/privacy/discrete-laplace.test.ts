import { describe, expect, it } from "vitest";
import {
  bernoulliExpNeg,
  epsilonToScale,
  parseEpsilon,
  sampleDiscreteLaplace,
  type Rational,
} from "./discrete-laplace.js";
import { HmacRandomStream } from "./hmac-random-stream.js";
import { tailProbability } from "./margin95.js";
import { chiSquareCritical } from "./chi-square.fixture.js";

const SECRET = "test-node-secret";
// Tolerances are Z standard errors of the estimate at the sample size used. The seeds are fixed,
// so a pass is reproducible; a correct sampler fails a 5-sigma bound with odds below one in a
// million per seed, while the errors these tests are for (wrong scale, doubled zero, K parity
// inverted, a lost integer part) move the estimates by far more.
const Z = 5;


// P(X = x) = (1-a)/(1+a) a^|x| with a = e^-epsilon.
function pmf(epsilon: number, x: number): number {
  const a = Math.exp(-epsilon);
  return ((1 - a) / (1 + a)) * a ** Math.abs(x);
}

// One sample per message, as in production where each question gets its own stream.
function laplaceSamples(epsilon: string, count: number, label: string): number[] {
  const scale = epsilonToScale(parseEpsilon(epsilon));
  return Array.from({ length: count }, (_, i) =>
    Number(sampleDiscreteLaplace(new HmacRandomStream(SECRET, `${label}-${i}`), scale)),
  );
}

// Pearson's statistic over the bins -edge..edge plus the two tails beyond.
function goodnessOfFit(
  samples: number[],
  epsilon: number,
  edge: number,
): { statistic: number; df: number } {
  const observed = new Map<number, number>();
  for (const x of samples) {
    const bin = Math.max(-edge - 1, Math.min(edge + 1, x));
    observed.set(bin, (observed.get(bin) ?? 0) + 1);
  }
  const a = Math.exp(-epsilon);
  const tail = a ** (edge + 1) / (1 + a);
  let statistic = 0;
  for (let bin = -edge - 1; bin <= edge + 1; bin += 1) {
    const p = Math.abs(bin) === edge + 1 ? tail : pmf(epsilon, bin);
    const expected = p * samples.length;
    statistic += ((observed.get(bin) ?? 0) - expected) ** 2 / expected;
  }
  return { statistic, df: 2 * edge + 2 };
}

describe("parseEpsilon", () => {
  it.each([
    ["0.1", 1n, 10n],
    ["0.10", 1n, 10n],
    ["0.25", 1n, 4n],
    ["1", 1n, 1n],
    ["2.5", 5n, 2n],
    ["0.000001", 1n, 1_000_000n],
    ["007.5", 15n, 2n],
  ])("reads %s as %s/%s", (text, numerator, denominator) => {
    expect(parseEpsilon(text)).toEqual({ numerator, denominator });
  });

  const invalid = ["0", "0.0", "0.000000", "-0.1", "0.0000001", "Infinity", "NaN", "", " 0.1"];
  it.each([...invalid, "1e-3", ".5", "1.", "0x10", "+1"])("refuses %j", (text) => {
    expect(() => parseEpsilon(text)).toThrow(Error);
  });
});

describe("epsilonToScale", () => {
  it("inverts and reduces", () => {
    const scale = (numerator: bigint, denominator: bigint): Rational =>
      epsilonToScale({ numerator, denominator });
    expect(scale(1n, 10n)).toEqual({ numerator: 10n, denominator: 1n });
    expect(scale(4n, 10n)).toEqual({ numerator: 5n, denominator: 2n });
  });

  it("refuses zero and negative epsilons", () => {
    expect(() => epsilonToScale({ numerator: 0n, denominator: 1n })).toThrow();
    expect(() => epsilonToScale({ numerator: -1n, denominator: 10n })).toThrow();
    expect(() => epsilonToScale({ numerator: 1n, denominator: 0n })).toThrow();
  });
});

describe("bernoulliExpNeg", () => {
  it("is always true at gamma = 0", () => {
    const stream = new HmacRandomStream(SECRET, "bexp zero");
    for (let i = 0; i < 1000; i += 1) {
      expect(bernoulliExpNeg(stream, { numerator: 0n, denominator: 3n })).toBe(true);
    }
  });

  it.each<[string, Rational]>([
    ["1/10", { numerator: 1n, denominator: 10n }],
    ["1/2", { numerator: 1n, denominator: 2n }],
    ["1", { numerator: 1n, denominator: 1n }],
    ["3/2", { numerator: 3n, denominator: 2n }],
    ["7/3", { numerator: 7n, denominator: 3n }],
    ["4", { numerator: 4n, denominator: 1n }],
  ])("has frequency exp(-%s)", (label, gamma) => {
    const stream = new HmacRandomStream(SECRET, `bexp ${label}`);
    const samples = 40_000;
    let hits = 0;
    for (let i = 0; i < samples; i += 1) if (bernoulliExpNeg(stream, gamma)) hits += 1;
    const p = Math.exp(-Number(gamma.numerator) / Number(gamma.denominator));
    const observed = hits / samples;
    expect(Math.abs(observed - p)).toBeLessThan(Z * Math.sqrt((p * (1 - p)) / samples));
  });

  it("refuses a negative gamma", () => {
    const stream = new HmacRandomStream(SECRET, "bexp negative");
    expect(() => bernoulliExpNeg(stream, { numerator: -1n, denominator: 2n })).toThrow();
    expect(() => bernoulliExpNeg(stream, { numerator: 1n, denominator: 0n })).toThrow();
  });
});

describe("sampleDiscreteLaplace", () => {
  it("is deterministic in the stream", () => {
    const scale = { numerator: 10n, denominator: 1n };
    const draw = (i: number): bigint =>
      sampleDiscreteLaplace(new HmacRandomStream(SECRET, `d${i}`), scale);
    const first = Array.from({ length: 50 }, (_, i) => draw(i));
    const again = Array.from({ length: 50 }, (_, i) => draw(i));
    expect(again).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(10);
  });

  it("treats an unreduced scale like the reduced one", () => {
    for (let i = 0; i < 50; i += 1) {
      const unreduced = { numerator: 20n, denominator: 2n };
      const reduced = { numerator: 10n, denominator: 1n };
      expect(sampleDiscreteLaplace(new HmacRandomStream(SECRET, `r${i}`), unreduced)).toBe(
        sampleDiscreteLaplace(new HmacRandomStream(SECRET, `r${i}`), reduced),
      );
    }
  });

  it("refuses a non-positive scale", () => {
    const stream = new HmacRandomStream(SECRET, "bad scale");
    expect(() => sampleDiscreteLaplace(stream, { numerator: 0n, denominator: 1n })).toThrow();
    expect(() => sampleDiscreteLaplace(stream, { numerator: 1n, denominator: 0n })).toThrow();
  });

  it("at epsilon 0.1 has mean 0, variance 2a/(1-a)^2, P(X = 0) and P(|X| > 30) as computed", () => {
    const epsilon = 0.1;
    const samples = laplaceSamples("0.1", 20_000, "laplace 0.1");
    const n = samples.length;
    const a = Math.exp(-epsilon);
    const variance = (2 * a) / (1 - a) ** 2; // 199.83
    // Fourth moment from the pmf, for the standard error of the sample variance.
    let fourth = 0;
    for (let x = -3000; x <= 3000; x += 1) fourth += pmf(epsilon, x) * x ** 4;

    const mean = samples.reduce((sum, x) => sum + x, 0) / n;
    const sampleVariance = samples.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1);
    const zeroRate = samples.filter((x) => x === 0).length / n;
    const tailRate = samples.filter((x) => Math.abs(x) > 30).length / n;
    const zeroP = pmf(epsilon, 0); // (1-a)/(1+a) = 0.04996
    const tailP = tailProbability(epsilon, 30); // 0.04730

    expect(Math.abs(mean)).toBeLessThan(Z * Math.sqrt(variance / n));
    const varianceError = Math.sqrt((fourth - variance ** 2) / n); // 3.16
    expect(Math.abs(sampleVariance - variance)).toBeLessThan(Z * varianceError);
    expect(Math.abs(zeroRate - zeroP)).toBeLessThan(Z * Math.sqrt((zeroP * (1 - zeroP)) / n));
    expect(Math.abs(tailRate - tailP)).toBeLessThan(Z * Math.sqrt((tailP * (1 - tailP)) / n));
    // Every bin from -30 to 30 and both tails against the pmf (62 degrees of freedom).
    const fit = goodnessOfFit(samples, epsilon, 30);
    expect(fit.statistic).toBeLessThan(chiSquareCritical(fit.df, 0.001));
  });

  it("fits the pmf when the scale is not an integer (epsilon 0.4, scale 5/2)", () => {
    // Here s = 2, so the floor(X / s) step of Algorithm 2 is exercised; at epsilon 0.1 s = 1.
    const samples = laplaceSamples("0.4", 20_000, "laplace 0.4");
    const fit = goodnessOfFit(samples, 0.4, 9);
    expect(fit.statistic).toBeLessThan(chiSquareCritical(fit.df, 0.001));
  });

  it("fits the pmf at epsilon 1 and rejects the pmf of epsilon 0.9", () => {
    // The check has power: the same samples are far from a nearby wrong scale.
    const samples = laplaceSamples("1", 20_000, "laplace 1");
    const fit = goodnessOfFit(samples, 1, 4);
    const wrong = goodnessOfFit(samples, 0.9, 4);
    const critical = chiSquareCritical(fit.df, 0.001);
    expect(fit.statistic).toBeLessThan(critical);
    expect(wrong.statistic).toBeGreaterThan(critical);
  });
});
