const CONFIDENCE_TAIL = 0.05;

/**
 * P(|X| > m) for discrete Laplace noise X with P(X = x) proportional to a^|x|, a = e^-epsilon:
 * 2a^(m+1)/(1+a). (Sum of both geometric tails beyond m, with P(X = x) = (1-a)/(1+a) a^|x|.)
 * This is reporting arithmetic only; sampling never uses floating point.
 */
export function tailProbability(epsilon: number, m: number): number {
  assertEpsilon(epsilon);
  if (!Number.isSafeInteger(m) || m < 0) throw new Error("m must be a non-negative integer");
  const a = Math.exp(-epsilon);
  return (2 * Math.exp(-epsilon * (m + 1))) / (1 + a);
}

/**
 * The accuracy stated with each released count: the smallest integer m >= 0 with
 * P(|X| > m) <= 0.05, i.e. the noisy figure is within m of the exact one 95% of the time.
 * margin95(0.1) = 30, margin95(1) = 3.
 */
export function margin95(epsilon: number): number {
  assertEpsilon(epsilon);
  const a = Math.exp(-epsilon);
  // Closed form from 2a^(m+1)/(1+a) <= 0.05, then nudged by direct checks so that rounding in
  // the logarithms can never move the answer by one near a boundary.
  let m = Math.max(0, Math.ceil(Math.log((CONFIDENCE_TAIL * (1 + a)) / 2) / -epsilon) - 1);
  while (m > 0 && tailProbability(epsilon, m - 1) <= CONFIDENCE_TAIL) m -= 1;
  while (tailProbability(epsilon, m) > CONFIDENCE_TAIL) m += 1;
  return m;
}

function assertEpsilon(epsilon: number): void {
  if (!Number.isFinite(epsilon) || epsilon <= 0) {
    throw new Error("epsilon must be a finite number greater than zero");
  }
}
