import { mix32 } from "./seeded-random.util.js";

/**
 * A keyed bijection on [0, half²). Phone numbers and e-mail suffixes come from permuting the
 * member's index, which makes them unique by construction (no lookup table, flat memory) while
 * not looking sequential.
 */
export function feistelPermute(value: number, half: number, keys: readonly number[]): number {
  let left = Math.floor(value / half);
  let right = value % half;
  for (const key of keys) {
    const next = (left + (mix32(right ^ key) % half)) % half;
    left = right;
    right = next;
  }
  return left * half + right;
}
