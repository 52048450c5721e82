import type { BrandProfile } from "./brand-profile.data.js";
import { REFERENCE_DAY } from "./member-dates.js";
import type { SeededRandom } from "./seeded-random.util.js";
import type { LifecycleStage, RfmScore } from "./taxonomy.data.js";
import { pickWeighted, weightedTable } from "./weighted-table.util.js";
import type { WeightedTable } from "./weighted-table.util.js";

/**
 * Recency scores by days since the last purchase: R5 within 30 days, R4 31-90, R3 91-180,
 * R2 181-365, R1 longer. Lifecycle stages read the same clock (active: bought within 90 days;
 * dormant: 91-365; churned: over a year), so the two tags never contradict each other, and a last
 * purchase can never predate the join date.
 */
export function pickRecency(rng: SeededRandom, stage: LifecycleStage, joinDay: number): RfmScore {
  const daysMember = REFERENCE_DAY - joinDay;
  switch (stage) {
    case "new":
      return daysMember <= 30 || rng.chance(0.6) ? "5" : "4";
    case "active":
      return rng.chance(0.55) ? "5" : "4";
    case "dormant":
      return daysMember > 180 && rng.chance(0.5) ? "2" : "3";
    case "churned":
      return "1";
  }
}

const FREQUENCY: Readonly<Record<LifecycleStage, WeightedTable<RfmScore>>> = {
  new: weightedTable<RfmScore>([["1", 60], ["2", 30], ["3", 10], ["4", 0], ["5", 0]]),
  active: weightedTable<RfmScore>([["1", 5], ["2", 15], ["3", 25], ["4", 30], ["5", 25]]),
  dormant: weightedTable<RfmScore>([["1", 20], ["2", 30], ["3", 25], ["4", 15], ["5", 10]]),
  churned: weightedTable<RfmScore>([["1", 45], ["2", 30], ["3", 15], ["4", 7], ["5", 3]]),
};

export function pickFrequency(rng: SeededRandom, stage: LifecycleStage): RfmScore {
  return pickWeighted(FREQUENCY[stage], rng);
}

/** Spend follows frequency, shifted by the brand's basket size (fashion baskets are bigger). */
export function pickMonetary(rng: SeededRandom, profile: BrandProfile, frequency: RfmScore): RfmScore {
  const [down, same] = profile.monetaryShift;
  const roll = rng.next();
  const shift = roll < down ? -1 : roll < down + same ? 0 : 1;
  const score = Math.min(5, Math.max(1, Number(frequency) + shift));
  return String(score) as RfmScore;
}
