import type { HmacRandomStream } from "./hmac-random-stream.js";

/** A rational number numerator/denominator in bigint, so that sampling never touches floats. */
export type Rational = { numerator: bigint; denominator: bigint };

const MAX_EPSILON_DECIMALS = 6;
const EPSILON_PATTERN = /^(\d+)(?:\.(\d{1,6}))?$/;

/**
 * Parses a plain decimal epsilon such as "0.1" into a reduced rational ({1n, 10n}). At most
 * six decimals; no sign, exponent, whitespace, "Infinity" or "NaN". Throws on zero or less.
 */
export function parseEpsilon(value: string): Rational {
  const match = EPSILON_PATTERN.exec(value);
  if (!match) {
    throw new Error(
      `epsilon must be a positive decimal with at most ${MAX_EPSILON_DECIMALS} decimals`,
    );
  }
  const whole = match[1] ?? "0";
  const fraction = match[2] ?? "";
  const numerator = BigInt(whole + fraction);
  if (numerator === 0n) throw new Error("epsilon must be greater than zero");
  return reduce({ numerator, denominator: 10n ** BigInt(fraction.length) });
}

/** The Laplace scale 1/epsilon, reduced. Throws unless epsilon is a positive rational. */
export function epsilonToScale(epsilon: Rational): Rational {
  assertPositive(epsilon, "epsilon");
  return reduce({ numerator: epsilon.denominator, denominator: epsilon.numerator });
}

/**
 * Exactly Bernoulli(exp(-gamma)) for a rational gamma >= 0: Canonne, Kamath and Steinke (2020),
 * Algorithm 1. For gamma in [0, 1] it counts successes of Bernoulli(gamma/k), k = 1, 2, ..., and
 * returns whether the first failure came at an odd k (probability exp(-gamma) by the alternating
 * series). For gamma > 1 it needs floor(gamma) independent Bernoulli(exp(-1)) successes and then
 * Bernoulli(exp(-(gamma - floor(gamma)))), since exp(-gamma) is their product.
 */
export function bernoulliExpNeg(rng: HmacRandomStream, gamma: Rational): boolean {
  const { numerator, denominator } = gamma;
  if (denominator < 1n) throw new Error("gamma must have a positive denominator");
  if (numerator < 0n) throw new Error("gamma must be >= 0");
  if (numerator <= denominator) return bernoulliExpNegUpToOne(rng, numerator, denominator);
  const whole = numerator / denominator;
  for (let i = 0n; i < whole; i += 1n) {
    if (!bernoulliExpNegUpToOne(rng, 1n, 1n)) return false;
  }
  return bernoulliExpNegUpToOne(rng, numerator - whole * denominator, denominator);
}

function bernoulliExpNegUpToOne(rng: HmacRandomStream, num: bigint, den: bigint): boolean {
  let k = 1n;
  while (rng.bernoulli(num, den * k)) k += 1n;
  return k % 2n === 1n;
}

/**
 * An exact sample of the discrete Laplace (two-sided geometric) distribution with the given
 * scale = t/s: P(X = x) is proportional to exp(-|x| * s / t). Canonne, Kamath and Steinke (2020),
 * Algorithm 2: U + t*V is an exact geometric with parameter exp(-1/t) (U uniform below t,
 * accepted with probability exp(-U/t); V geometric with parameter exp(-1)); dividing by s
 * rescales it; a random sign, with one of the two zeros rejected, makes it two-sided.
 * Integer arithmetic only, so the released noise is exactly the distribution the privacy proof
 * assumes (floating-point Laplace leaks through its rounding pattern).
 */
export function sampleDiscreteLaplace(
  rng: HmacRandomStream,
  scale: { numerator: bigint; denominator: bigint },
): bigint {
  assertPositive(scale, "scale");
  const { numerator: t, denominator: s } = reduce(scale);
  for (;;) {
    const u = rng.uniformInt(t);
    if (!bernoulliExpNeg(rng, { numerator: u, denominator: t })) continue;
    let v = 0n;
    while (bernoulliExpNeg(rng, { numerator: 1n, denominator: 1n })) v += 1n;
    const y = (u + t * v) / s;
    const negative = rng.bernoulli(1n, 2n);
    // Without this rejection 0 would be reached from both signs and be twice as likely.
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}

function assertPositive(value: Rational, name: string): void {
  if (value.numerator < 1n || value.denominator < 1n) {
    throw new Error(`${name} must be a positive rational`);
  }
}

function reduce(value: Rational): Rational {
  const divisor = gcd(value.numerator, value.denominator);
  return { numerator: value.numerator / divisor, denominator: value.denominator / divisor };
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}
