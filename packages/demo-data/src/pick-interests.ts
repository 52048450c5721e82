import type { BrandProfile } from "./brand-profile.data.js";
import type { SeededRandom } from "./seeded-random.util.js";
import { INTERESTS } from "./taxonomy.data.js";
import type { AgeBand, Gender, Interest } from "./taxonomy.data.js";
import { pickWeighted, weightedTable } from "./weighted-table.util.js";
import type { WeightedTable } from "./weighted-table.util.js";

type Modifier = (gender: Gender, age: AgeBand, pregnant: boolean) => number;

const YOUNG = new Set<AgeBand>(["18-24", "25-34"]);

/** How age, gender and pregnancy tilt the brand's base interest weights. */
const MODIFIERS: Partial<Record<Interest, Modifier>> = {
  fashion: (g, a) => (g === "f" ? 2 : 0.45) * (a === "55+" ? 0.5 : 1),
  beauty: (g, a) => (g === "f" ? 2.5 : 0.25) * (a === "55+" ? 0.5 : 1),
  gaming: (g, a) => (g === "m" ? 2.5 : 0.6) * (a === "18-24" ? 2 : a === "25-34" ? 1.3 : a === "35-44" ? 0.7 : 0.25),
  parenting: (g, a, pregnant) =>
    (pregnant ? 6 : 1) * (g === "f" ? 1.5 : 0.8) *
    (a === "18-24" ? 0.15 : a === "25-34" ? 1.8 : a === "35-44" ? 2 : a === "45-54" ? 0.6 : 0.4),
  fitness: (_g, a) => (YOUNG.has(a) ? 1.5 : a === "55+" ? 0.5 : 1),
  outdoors: (g, a) => (g === "m" ? 1.5 : 0.8) * (a === "55+" ? 0.7 : 1),
  baking: (g) => (g === "f" ? 1.3 : 0.8),
  home: (_g, a) => (YOUNG.has(a) ? 0.7 : 1.4),
  music: (_g, a) => (a === "18-24" ? 1.8 : a === "25-34" ? 1.2 : 0.6),
  reading: (_g, a) => (a === "55+" ? 1.4 : 1),
};

/**
 * Interest tables are cached per brand, gender, age band and pregnancy (at most 20 per brand), so
 * the per-member cost is a few draws, not a rebuild.
 */
const tableCache = new WeakMap<BrandProfile, Map<string, WeightedTable<Interest>>>();

function interestTable(profile: BrandProfile, gender: Gender, age: AgeBand, pregnant: boolean): WeightedTable<Interest> {
  let byKey = tableCache.get(profile);
  if (!byKey) {
    byKey = new Map();
    tableCache.set(profile, byKey);
  }
  const key = `${gender}|${age}|${pregnant ? 1 : 0}`;
  let table = byKey.get(key);
  if (!table) {
    table = weightedTable(
      INTERESTS.map((interest): [Interest, number] => [
        interest,
        profile.interests[interest] * (MODIFIERS[interest]?.(gender, age, pregnant) ?? 1),
      ]),
    );
    byKey.set(key, table);
  }
  return table;
}

const COUNT_TABLES = new WeakMap<BrandProfile, WeightedTable<number>>();

/** Picks 0 to 3 distinct interests, returned in taxonomy order. */
export function pickInterests(
  rng: SeededRandom,
  profile: BrandProfile,
  gender: Gender,
  age: AgeBand,
  pregnant: boolean,
): Interest[] {
  let counts = COUNT_TABLES.get(profile);
  if (!counts) {
    counts = weightedTable(profile.interestCount.map((w, n): [number, number] => [n, w]));
    COUNT_TABLES.set(profile, counts);
  }
  const wanted = pickWeighted(counts, rng);
  if (wanted === 0) return [];
  const table = interestTable(profile, gender, age, pregnant);
  const chosen = new Set<Interest>();
  // Drawing again on a repeat samples without replacement; the cap only guards against a profile
  // with fewer than three non-zero weights.
  for (let tries = 0; chosen.size < wanted && tries < 64; tries++) chosen.add(pickWeighted(table, rng));
  return INTERESTS.filter((interest) => chosen.has(interest));
}
