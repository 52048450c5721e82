import { createHmac } from "node:crypto";
import type { Rational } from "./discrete-laplace.js";
import { tailProbability } from "./margin95.js";
import { releaseCount } from "./noisy-count.js";

// The report's secret comes from its seed, so a report is reproducible and never needs a node's
// real secret. The label keeps it from coinciding with any other use of the same seed text.
const SECRET_LABEL = "brandpool/privacy-report/secret/v1";
const REPORT_PERIOD = "accuracy-report";
/** Two-sided 95% point of the normal distribution, for the averaged rows' theoretical error. */
export const Z95 = 1.959964;

/**
 * What the report measures: a released count's noisy figure (before the threshold, since the
 * threshold only hides figures and does not change them) and the margin95 it states.
 */
export type CountMechanism = {
  epsilon: number;
  /** The margin95 the mechanism states with its answers. */
  margin95: number;
  /** The noisy figure for one question; distinct keys get independent noise. */
  release(questionKey: string, exact: number): number;
};

export type AudienceAccuracy = {
  audience: number;
  draws: number;
  /** The 95th percentile of |noisy - exact|: the smallest e with at least 95% of errors <= e. */
  empirical95: number;
  margin95: number;
  /** (empirical95 - margin95) / margin95; 0 when both are 0, Infinity when only margin95 is. */
  relativeDifference: number;
  /** Share of answers with |noisy - exact| <= margin95. */
  withinMargin: number;
  /** 1 - P(|X| > margin95): the share the distribution promises. */
  expectedWithinMargin: number;
  /** Answers at 0: the noise reached -audience or below and the figure was clamped. */
  atZero: number;
  /** P(exact + X < 0) = a^(audience+1) / (1+a): how often clamping acts at all. */
  clampProbability: number;
  /** log10 of clampProbability, which underflows to 0 for large audiences. */
  clampLog10: number;
};

export type AttackKind = "average" | "difference";

export type AttackAccuracy = {
  attack: AttackKind;
  /** New questions spent: n answers, or n/2 pairs for the difference attack. */
  questions: number;
  /** Independent repetitions of the attack behind the percentile. */
  trials: number;
  /** The 95th percentile of |estimate - exact| over the trials. */
  empirical95: number;
  /** From the variance 2a/(1-a)^2 with the normal approximation; it understates small n. */
  theory95: number;
};

/** The report's secret: HMAC-SHA256 under a fixed label of the seed. */
export function reportSecret(seed: string): Buffer {
  if (seed.length === 0) throw new Error("seed must not be empty");
  return createHmac("sha256", SECRET_LABEL).update(seed, "utf8").digest();
}

/** The real mechanism, releaseCount, under the secret derived from `seed`. */
export function reportMechanism(seed: string, epsilon: Rational): CountMechanism {
  const secret = reportSecret(seed);
  const release = (questionKey: string, exact: number) =>
    releaseCount({ secret, questionKey, period: REPORT_PERIOD, exact, epsilon, threshold: 1 });
  // The stated margin is read from an answer, so the report checks what answers actually say.
  const probe = release("margin-probe", 0);
  return {
    epsilon: probe.epsilon,
    margin95: probe.margin95,
    release: (questionKey, exact) => release(questionKey, exact).noisy,
  };
}

/** The variance of the discrete Laplace noise: 2a/(1-a)^2, a = e^-epsilon. */
export function noiseVariance(epsilon: number): number {
  const a = Math.exp(-epsilon);
  return (2 * a) / (1 - a) ** 2;
}

/**
 * The nearest-rank 95th percentile of the absolute values: the smallest value v of the sample
 * with at least 95% of |x| <= v, the empirical counterpart of margin95's definition.
 */
export function percentile95(values: readonly number[]): number {
  if (values.length === 0) throw new Error("percentile of an empty sample");
  const sorted = Float64Array.from(values, Math.abs).sort();
  return sorted[Math.ceil(0.95 * sorted.length) - 1] ?? Number.NaN;
}

/** (empirical - stated) / stated, with 0/0 = 0 and x/0 = Infinity. */
export function relativeDifference(empirical: number, stated: number): number {
  if (stated === 0) return empirical === 0 ? 0 : Number.POSITIVE_INFINITY;
  return (empirical - stated) / stated;
}

/** Whether an empirical error agrees with a stated or theoretical one within `tolerance`. */
export function agreesWithin(empirical: number, stated: number, tolerance: number): boolean {
  return Math.abs(relativeDifference(empirical, stated)) <= tolerance;
}

/** `draws` answers about one count of `audience`, each a distinct question. */
export function audienceAccuracy(
  mechanism: CountMechanism,
  audience: number,
  draws: number,
): AudienceAccuracy {
  assertCount(draws, "draws", 1);
  const errors = new Array<number>(draws);
  let within = 0;
  let atZero = 0;
  for (let i = 0; i < draws; i += 1) {
    const noisy = mechanism.release(`audience/${audience}/${i}`, audience);
    const error = noisy - audience;
    errors[i] = error;
    if (Math.abs(error) <= mechanism.margin95) within += 1;
    if (noisy === 0) atZero += 1;
  }
  const empirical95 = percentile95(errors);
  const a = Math.exp(-mechanism.epsilon);
  return {
    audience,
    draws,
    empirical95,
    margin95: mechanism.margin95,
    relativeDifference: relativeDifference(empirical95, mechanism.margin95),
    withinMargin: within / draws,
    expectedWithinMargin: 1 - tailProbability(mechanism.epsilon, mechanism.margin95),
    atZero,
    clampProbability: Math.exp(-mechanism.epsilon * (audience + 1)) / (1 + a),
    clampLog10: (-mechanism.epsilon * (audience + 1) - Math.log(1 + a)) / Math.LN10,
  };
}

/**
 * A partner that asks n distinct questions which each return the same count and averages the
 * answers. One pool of trials * max(n) answers is drawn and cut into blocks of n for each n, so
 * the rows share answers (each row on its own is exact; rows are not independent of each other).
 */
export function averagingAttack(
  mechanism: CountMechanism,
  options: { exact: number; questionCounts: readonly number[]; trials: number },
): AttackAccuracy[] {
  const { exact, questionCounts, trials } = options;
  const pool = drawPool(
    trials,
    questionCounts,
    (i) => mechanism.release(`average/${i}`, exact) - exact,
  );
  return questionCounts.map((questions) => ({
    attack: "average",
    ...blockMeans(pool, questions, questions),
    theory95: Z95 * Math.sqrt(noiseVariance(mechanism.epsilon) / questions),
  }));
}

/**
 * A partner that learns a count as a difference, count(t) = count(t OR u_i) - count(u_i) for
 * some u_i disjoint from t, and averages n/2 such pairs: each estimate carries the noise of two
 * answers, so its variance is twice that of one answer.
 */
export function differencingAttack(
  mechanism: CountMechanism,
  options: { exact: number; other: number; questionCounts: readonly number[]; trials: number },
): AttackAccuracy[] {
  const { exact, other, questionCounts, trials } = options;
  for (const questions of questionCounts) {
    if (questions % 2 !== 0) {
      throw new Error("the difference attack needs an even number of questions");
    }
  }
  const pairCounts = questionCounts.map((questions) => questions / 2);
  const pool = drawPool(trials, pairCounts, (i) => {
    const union = mechanism.release(`difference/union/${i}`, exact + other);
    return union - mechanism.release(`difference/other/${i}`, other) - exact;
  });
  return questionCounts.map((questions) => ({
    attack: "difference",
    ...blockMeans(pool, questions / 2, questions),
    theory95: Z95 * Math.sqrt((2 * noiseVariance(mechanism.epsilon)) / (questions / 2)),
  }));
}

function drawPool(
  trials: number,
  blockSizes: readonly number[],
  draw: (i: number) => number,
): Float64Array {
  assertCount(trials, "trials", 1);
  for (const size of blockSizes) assertCount(size, "question count", 1);
  const size = trials * Math.max(...blockSizes);
  const pool = new Float64Array(size);
  for (let i = 0; i < size; i += 1) pool[i] = draw(i);
  return pool;
}

// The pool holds integer errors, so block sums are exact and only the final division rounds.
function blockMeans(
  pool: Float64Array,
  blockSize: number,
  questions: number,
): Pick<AttackAccuracy, "questions" | "trials" | "empirical95"> {
  const trials = Math.floor(pool.length / blockSize);
  const means = new Array<number>(trials);
  for (let trial = 0; trial < trials; trial += 1) {
    let sum = 0;
    for (let j = trial * blockSize; j < (trial + 1) * blockSize; j += 1) sum += pool[j] ?? 0;
    means[trial] = sum / blockSize;
  }
  return { questions, trials, empirical95: percentile95(means) };
}

function assertCount(value: number, name: string, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new Error(`${name} must be an integer >= ${minimum}`);
  }
}

/** The audiences of the report's first table. */
export const REPORT_AUDIENCES: readonly number[] = [100, 1_000, 10_000, 100_000, 1_000_000];
/** The count the attacks narrow; large enough that clamping at 0 never acts. */
export const ATTACK_COUNT = 10_000;
const ATTACK_OTHER = 10_000;

export type AccuracyReport = {
  epsilon: number;
  margin95: number;
  variance: number;
  audiences: AudienceAccuracy[];
  attacks: AttackAccuracy[];
  /** Answers released to build the report. */
  answers: number;
};

/** Both tables of `npm run privacy:report`, from one mechanism. */
export function buildAccuracyReport(
  mechanism: CountMechanism,
  options: { draws: number; trials: number; pairQuestions: number; poolQuestions: number },
): AccuracyReport {
  const { draws, trials, pairQuestions, poolQuestions } = options;
  let answers = 0;
  const counted: CountMechanism = {
    ...mechanism,
    release: (questionKey, exact) => {
      answers += 1;
      return mechanism.release(questionKey, exact);
    },
  };
  const audiences = REPORT_AUDIENCES.map((audience) => audienceAccuracy(counted, audience, draws));
  const averages = averagingAttack(counted, {
    exact: ATTACK_COUNT,
    questionCounts: [1, pairQuestions, poolQuestions],
    trials,
  });
  const differences = differencingAttack(counted, {
    exact: ATTACK_COUNT,
    other: ATTACK_OTHER,
    questionCounts: [2, pairQuestions, poolQuestions],
    trials,
  });
  return {
    epsilon: mechanism.epsilon,
    margin95: mechanism.margin95,
    variance: noiseVariance(mechanism.epsilon),
    audiences,
    attacks: [...averages, ...differences],
    answers,
  };
}
