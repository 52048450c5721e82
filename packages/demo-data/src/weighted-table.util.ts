import type { SeededRandom } from "./seeded-random.util.js";

/** Items with cumulative weights, built once so that each draw is one float and a short scan. */
export interface WeightedTable<T> {
  readonly items: readonly T[];
  readonly cumulative: Float64Array;
  readonly total: number;
}

export function weightedTable<T>(entries: readonly (readonly [T, number])[]): WeightedTable<T> {
  const items: T[] = [];
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([item, weight], i) => {
    if (!(weight >= 0)) throw new RangeError(`weight must be non-negative, got ${weight}`);
    total += weight;
    items.push(item);
    cumulative[i] = total;
  });
  if (total <= 0) throw new RangeError("a weighted table needs a positive total weight");
  return { items, cumulative, total };
}

export function pickWeighted<T>(table: WeightedTable<T>, rng: SeededRandom): T {
  const target = rng.next() * table.total;
  const { cumulative } = table;
  // Binary search: the surname table has ~100 entries, the others are short either way.
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return table.items[lo] as T;
}
