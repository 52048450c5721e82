/**
 * Epsilon amounts as exact decimals with at most six places (the node's EPSILON setting and every
 * budget), held as integer millionths: 100 charges of 0.1 make exactly 10, never 9.999999999999998.
 */
const SCALE = 1_000_000n;
const DECIMAL = /^(\d{1,12})(?:\.(\d{1,6}))?$/;

export function toMicros(amount: string): bigint {
  const match = DECIMAL.exec(amount.includes(".") ? amount.replace(/0+$/, "").replace(/\.$/, "") : amount);
  if (!match) throw new Error(`not an epsilon amount: ${amount}`);
  return BigInt(match[1] as string) * SCALE + BigInt((match[2] ?? "").padEnd(6, "0"));
}

export function fromMicros(micros: bigint): string {
  const sign = micros < 0n ? "-" : "";
  const abs = micros < 0n ? -micros : micros;
  const fraction = (abs % SCALE).toString().padStart(6, "0").replace(/0+$/, "");
  return `${sign}${abs / SCALE}${fraction ? `.${fraction}` : ""}`;
}

/** Largest amount a caller may give (budgets are at most a few dozen; this bounds the arithmetic). */
const MAX_AMOUNT = 1_000_000_000;

/**
 * A GraphQL Float given by a caller, as an amount; null when it is negative, not finite, huge, or
 * has more than six decimals (19.9999999999 is not 20: the tolerance is relative, near float precision).
 */
export function amountOfNumber(value: number): string | null {
  if (!Number.isFinite(value) || value < 0 || value > MAX_AMOUNT) return null;
  const fixed = value.toFixed(6);
  if (Math.abs(Number(fixed) - value) > Math.max(1, value) * 1e-12) return null;
  return fromMicros(toMicros(fixed));
}

export function minusAtLeastZero(total: string, spent: string): string {
  const rest = toMicros(total) - toMicros(spent);
  return fromMicros(rest < 0n ? 0n : rest);
}

export function isGreater(a: string, b: string): boolean {
  return toMicros(a) > toMicros(b);
}
