import { createHmac } from "node:crypto";
import { epsilonToScale, sampleDiscreteLaplace, type Rational } from "./discrete-laplace.js";
import { HmacRandomStream } from "./hmac-random-stream.js";
import { margin95 } from "./margin95.js";

// Derivation label for the commitment key. It contains no 0x00 byte, while every noise-stream
// HMAC input does (the separator before the counter), so the derived key can never equal a
// noise block and commitments and noise are separated by construction.
const COMMITMENT_KEY_LABEL = "brandpool/privacy/exact-commitment/v1";

/**
 * What the privacy layer needs to release one count. Deliberately no requester: the noise is a
 * function of (node secret, question, period) only, so every partner gets the same answer and
 * colluding partners cannot average independent draws away.
 */
export type ReleaseCountInput = {
  /** The node's secret; keys the noise stream. */
  secret: string | Buffer;
  /** The normalised question (from the tag-expression library, channel included). */
  questionKey: string;
  /** The budget period the answer belongs to, e.g. "2025-06". */
  period: string;
  /** The exact count; never leaves the node. */
  exact: number;
  /** Privacy cost of this question. */
  epsilon: Rational;
  /** k: noisy counts below it are reported only as "fewer than k". */
  threshold: number;
};

export type ReleasedCount = {
  /** max(0, exact + noise). Internal: store it, but release `count`. */
  noisy: number;
  /** The figure a partner may see: the noisy count, or null when it is below the threshold. */
  count: number | null;
  belowThreshold: boolean;
  threshold: number;
  /** Half-width of the 95% interval of the noise, stated with each answer. */
  margin95: number;
  epsilon: number;
};

/**
 * Releases an exact count through the privacy layer: discrete Laplace noise of scale 1/epsilon
 * drawn from HMAC-SHA256(secret, questionKey || 0x00 || period || ...), clamped at zero, then the
 * threshold applied to the noisy figure. Thresholding the exact figure would leak it: whether an
 * answer is suppressed would then say exactly which side of k the true count is on.
 */
export function releaseCount(input: ReleaseCountInput): ReleasedCount {
  const { secret, questionKey, period, exact, epsilon, threshold } = input;
  if (!Number.isSafeInteger(exact) || exact < 0) {
    throw new Error("exact count must be a non-negative safe integer");
  }
  if (!Number.isSafeInteger(threshold) || threshold < 1) {
    throw new Error("threshold must be an integer >= 1");
  }
  const scale = epsilonToScale(epsilon);
  const rng = new HmacRandomStream(secret, noiseMessage(questionKey, period));
  const noise = sampleDiscreteLaplace(rng, scale);
  const shifted = BigInt(exact) + noise;
  // A negative count is impossible and would only advertise that noise is present; clamping is
  // post-processing, so it costs no privacy.
  const noisy = Number(shifted < 0n ? 0n : shifted);
  if (!Number.isSafeInteger(noisy)) throw new Error("noisy count is out of range");
  const belowThreshold = noisy < threshold;
  const epsilonValue = Number(epsilon.numerator) / Number(epsilon.denominator);
  return {
    noisy,
    count: belowThreshold ? null : noisy,
    belowThreshold,
    threshold,
    margin95: margin95(epsilonValue),
    epsilon: epsilonValue,
  };
}

/**
 * A commitment to an exact figure for the owner's audit log: hex HMAC-SHA256 under a key derived
 * from the node secret, over (questionKey, period, exact). Without the secret it reveals nothing
 * about the figure; with it the owner can later show which exact figure an answer came from.
 */
export function exactCommitment(
  secret: string | Buffer,
  questionKey: string,
  period: string,
  exact: number,
): string {
  if (!Number.isSafeInteger(exact) || exact < 0) {
    throw new Error("exact count must be a non-negative safe integer");
  }
  assertNoSeparator(questionKey, "questionKey");
  assertNoSeparator(period, "period");
  const secretBytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : secret;
  if (secretBytes.length === 0) throw new Error("secret must not be empty");
  const commitmentKey = createHmac("sha256", secretBytes).update(COMMITMENT_KEY_LABEL).digest();
  return createHmac("sha256", commitmentKey)
    .update(`${questionKey}\u0000${period}\u0000${exact}`, "utf8")
    .digest("hex");
}

/**
 * A commitment to several exact figures of one release (an outreach request's results), like
 * exactCommitment: hex HMAC-SHA256 under the same derived key, over `figures`, the scope (the
 * request's id) and the release (`final`, `daily:2026-12-01`), and each `name=value` in name order.
 * The leading `figures` keeps these messages apart from exactCommitment's, which start with a
 * question key (`v2|...`).
 */
export function figuresCommitment(secret: string | Buffer, scope: string, release: string, figures: Readonly<Record<string, number>>): string {
  assertNoSeparator(scope, "scope");
  assertNoSeparator(release, "release");
  const names = Object.keys(figures).sort();
  if (names.length === 0) throw new Error("figures must not be empty");
  const parts = names.map((name) => {
    const value = figures[name];
    if (!/^[a-z][a-zA-Z0-9]*$/.test(name)) throw new Error(`figure name ${JSON.stringify(name)} is not a plain identifier`);
    if (value === undefined || !Number.isSafeInteger(value) || value < 0) throw new Error(`figure ${name} must be a non-negative safe integer`);
    return `${name}=${value}`;
  });
  const secretBytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : secret;
  if (secretBytes.length === 0) throw new Error("secret must not be empty");
  const commitmentKey = createHmac("sha256", secretBytes).update(COMMITMENT_KEY_LABEL).digest();
  return createHmac("sha256", commitmentKey).update(["figures", scope, release, ...parts].join("\u0000"), "utf8").digest("hex");
}

function noiseMessage(questionKey: string, period: string): string {
  assertNoSeparator(questionKey, "questionKey");
  assertNoSeparator(period, "period");
  return `${questionKey}\u0000${period}`;
}

// With a NUL inside either part, two different (question, period) pairs could share one message
// and therefore one noise draw.
function assertNoSeparator(value: string, name: string): void {
  if (value.includes("\u0000")) throw new Error(`${name} must not contain a NUL character`);
}
