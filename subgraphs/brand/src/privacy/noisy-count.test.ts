import { afterEach, describe, expect, it, vi } from "vitest";
import { parseEpsilon } from "./discrete-laplace.js";
import { exactCommitment, releaseCount, type ReleaseCountInput } from "./noisy-count.js";

const SECRET = "node-secret-pieshop";
const EPSILON = parseEpsilon("0.1");

function input(overrides: Partial<ReleaseCountInput> = {}): ReleaseCountInput {
  return {
    secret: SECRET,
    questionKey: 'and(tag:"vip",channel:"sms")',
    period: "2025-06",
    exact: 1000,
    epsilon: EPSILON,
    threshold: 50,
    ...overrides,
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("releaseCount", () => {
  it("gives the same answer for the same secret, question and period", () => {
    expect(releaseCount(input())).toEqual(releaseCount(input()));
    const fromBuffer = releaseCount(input({ secret: Buffer.from(SECRET, "utf8") }));
    expect(fromBuffer).toEqual(releaseCount(input()));
  });

  it("gives every partner the same answer: no requester goes into the noise", () => {
    const plain = releaseCount(input());
    // @ts-expect-error the input has no requester field, by design
    const asTeabar = releaseCount({ ...input(), requester: "teabar" });
    // @ts-expect-error nor any other caller identity
    const asStylehub = releaseCount({ ...input(), requesterBrandId: "stylehub", sub: "user:1" });
    expect(asTeabar).toEqual(plain);
    expect(asStylehub).toEqual(plain);
  });

  it("draws fresh noise for another period, question or secret", () => {
    const questions = Array.from({ length: 40 }, (_, i) => `question-${i}`);
    const noisyFor = (overrides: Partial<ReleaseCountInput>): number[] =>
      questions.map((questionKey) => releaseCount(input({ questionKey, ...overrides })).noisy);
    const june = noisyFor({});
    expect(noisyFor({ period: "2025-07" })).not.toEqual(june);
    expect(noisyFor({ secret: "node-secret-teabar" })).not.toEqual(june);
    // Within one period the questions themselves get different noise.
    expect(new Set(june).size).toBeGreaterThan(20);
  });

  it("keeps question and period apart: moving text across the boundary changes the stream", () => {
    const questions = Array.from({ length: 40 }, (_, i) => `q${i}`);
    const noisy = (questionKey: string, period: string): number =>
      releaseCount(input({ questionKey, period })).noisy;
    const joined = questions.map((q) => noisy(`${q}-2025`, "06"));
    const split = questions.map((q) => noisy(q, "-2025-06"));
    expect(joined).not.toEqual(split);
  });

  it("never calls Math.random", () => {
    const random = vi.spyOn(Math, "random");
    for (let i = 0; i < 100; i += 1) releaseCount(input({ questionKey: `q${i}` }));
    expect(random).not.toHaveBeenCalled();
  });

  it("suppresses an answer whose noisy count is below k although the exact count is not", () => {
    // Search, with the fixed secret, for a question whose noise pulls exact = k below k.
    const found = findRelease({ exact: 50, threshold: 50 }, (released) => released.noisy < 50);
    expect(found.belowThreshold).toBe(true);
    expect(found.count).toBeNull();
    expect(found.threshold).toBe(50);
  });

  it("releases an answer whose noisy count reaches k although the exact count is below it", () => {
    const found = findRelease({ exact: 45, threshold: 50 }, (released) => released.noisy >= 50);
    expect(found.belowThreshold).toBe(false);
    expect(found.count).toBe(found.noisy);
    expect(found.count).toBeGreaterThanOrEqual(50);
  });

  it("never releases a negative count and clamps at zero", () => {
    const noisy = Array.from({ length: 2000 }, (_, i) =>
      releaseCount(input({ questionKey: `empty-${i}`, exact: 0, threshold: 1 })),
    );
    expect(noisy.every((released) => released.noisy >= 0)).toBe(true);
    // Half the noise is negative, so about half the answers are clamped to zero.
    const zeros = noisy.filter((released) => released.noisy === 0);
    expect(zeros.length).toBeGreaterThan(800);
    expect(zeros.every((zero) => zero.count === null && zero.belowThreshold)).toBe(true);
  });

  it("states its accuracy and cost", () => {
    const released = releaseCount(input());
    expect(released.margin95).toBe(30);
    expect(released.epsilon).toBe(0.1);
    expect(releaseCount(input({ epsilon: parseEpsilon("1") })).margin95).toBe(3);
  });

  it("stays within margin95 of the exact count about 95% of the time", () => {
    const answers = Array.from({ length: 4000 }, (_, i) =>
      releaseCount(input({ questionKey: `m${i}` })),
    );
    const outside = answers.filter((answer) => Math.abs(answer.noisy - 1000) > answer.margin95);
    // P(|X| > 30) = 0.0473 at epsilon 0.1; 5 standard errors at n = 4000 is 0.017.
    expect(Math.abs(outside.length / answers.length - 0.0473)).toBeLessThan(0.017);
  });

  it.each<[string, Partial<ReleaseCountInput>]>([
    ["a negative exact count", { exact: -1 }],
    ["a fractional exact count", { exact: 1.5 }],
    ["a NaN exact count", { exact: Number.NaN }],
    ["an unsafe exact count", { exact: 2 ** 53 }],
    ["a zero threshold", { threshold: 0 }],
    ["a fractional threshold", { threshold: 0.5 }],
    ["a zero epsilon", { epsilon: { numerator: 0n, denominator: 1n } }],
    ["an empty secret", { secret: "" }],
    ["a NUL in the question", { questionKey: "a\u0000b" }],
    ["a NUL in the period", { period: "2025\u000006" }],
  ])("refuses %s", (_label, overrides) => {
    expect(() => releaseCount(input(overrides))).toThrow(Error);
  });
});

describe("exactCommitment", () => {
  type CommitArgs = { secret: string; questionKey: string; period: string; exact: number };
  const commit = (overrides: Partial<CommitArgs> = {}): string => {
    const args = { secret: SECRET, questionKey: "q", period: "2025-06", exact: 1234, ...overrides };
    return exactCommitment(args.secret, args.questionKey, args.period, args.exact);
  };

  it("is a deterministic hex SHA-256 digest", () => {
    expect(commit()).toMatch(/^[0-9a-f]{64}$/);
    expect(commit()).toBe(commit());
  });

  it("binds the exact figure, question, period and secret", () => {
    const base = commit();
    expect(commit({ exact: 1235 })).not.toBe(base);
    expect(commit({ questionKey: "q2" })).not.toBe(base);
    expect(commit({ period: "2025-07" })).not.toBe(base);
    expect(commit({ secret: "another-secret" })).not.toBe(base);
  });

  it("refuses invalid figures, separators and an empty secret", () => {
    expect(() => commit({ exact: -1 })).toThrow(Error);
    expect(() => commit({ exact: 0.5 })).toThrow(Error);
    expect(() => commit({ questionKey: "a\u0000b" })).toThrow(Error);
    expect(() => commit({ secret: "" })).toThrow(Error);
  });
});

function findRelease(
  overrides: Partial<ReleaseCountInput>,
  wanted: (released: ReturnType<typeof releaseCount>) => boolean,
): ReturnType<typeof releaseCount> {
  for (let i = 0; i < 2000; i += 1) {
    const released = releaseCount(input({ questionKey: `search-${i}`, ...overrides }));
    if (wanted(released)) return released;
  }
  throw new Error("no question in the search range has the wanted noise");
}
