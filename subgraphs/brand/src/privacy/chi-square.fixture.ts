// Upper critical value of the chi-square distribution at level alpha, for an even number of
// degrees of freedom, where the survival function has the closed form
// exp(-x/2) * sum_{i<df/2} (x/2)^i / i!. Found by bisection, so the bound is computed, not typed.
export function chiSquareCritical(df: number, alpha: number): number {
  if (df % 2 !== 0) throw new Error("even degrees of freedom only");
  const survival = (x: number): number => {
    let term = 1;
    let sum = 1;
    for (let i = 1; i < df / 2; i += 1) {
      term *= x / 2 / i;
      sum += term;
    }
    return Math.exp(-x / 2) * sum;
  };
  let low = 0;
  let high = df + 100 * Math.sqrt(df) + 100;
  for (let i = 0; i < 200; i += 1) {
    const mid = (low + high) / 2;
    if (survival(mid) > alpha) low = mid;
    else high = mid;
  }
  return high;
}
