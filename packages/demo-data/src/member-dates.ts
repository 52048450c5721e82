import { civilFromDays, daysFromCivil, parseIsoDate } from "./civil-date.util.js";
import type { SeededRandom } from "./seeded-random.util.js";
import type { AgeBand, LifecycleStage } from "./taxonomy.data.js";

/**
 * The day on which ages, lifecycle stages and recency are measured. Fixed rather than "today" so
 * that the same seed gives the same data next year, and a test run never depends on the clock.
 */
export const REFERENCE_DATE = "2026-11-01";

const REF = parseIsoDate(REFERENCE_DATE);
export const REFERENCE_DAY = daysFromCivil(REF.year, REF.month, REF.day);

/** Youngest age at which a member can have joined (mainland real-name phone registration). */
export const MIN_JOIN_AGE = 16;

/**
 * How many days before `REFERENCE_DATE` a member of each stage joined, inclusive. A new member
 * joined within 90 days; a churned one has not bought for over a year, so joined over a year ago.
 */
export const LIFECYCLE_JOIN_WINDOWS: Readonly<Record<LifecycleStage, readonly [number, number]>> = {
  new: [0, 89],
  active: [90, 6 * 365],
  dormant: [180, 6 * 365],
  churned: [366, 8 * 365],
};

const AGE_RANGES: Readonly<Record<AgeBand, readonly [number, number]>> = {
  "18-24": [18, 24],
  "25-34": [25, 34],
  "35-44": [35, 44],
  "45-54": [45, 54],
  "55+": [55, 79],
};

/** Picks a birth day (days since the epoch) whose age on the reference date is in the band. */
export function pickBirthDay(rng: SeededRandom, band: AgeBand): number {
  const [min, max] = AGE_RANGES[band];
  // The open band thins out with age (the product of two uniforms has a falling density) rather
  // than holding as many 79-year-olds as 55-year-olds.
  const age = band === "55+" ? min + Math.floor((max - min + 1) * rng.next() * rng.next()) : rng.int(min, max);
  const latest = daysFromCivil(REF.year - age, REF.month, REF.day);
  const earliest = daysFromCivil(REF.year - age - 1, REF.month, REF.day) + 1;
  return rng.int(earliest, latest);
}

/** Picks a join day consistent with the stage, the member's age and the programme's launch. */
export function pickJoinDay(rng: SeededRandom, stage: LifecycleStage, birthDay: number, launchDay: number): number {
  const [minAgo, maxAgo] = LIFECYCLE_JOIN_WINDOWS[stage];
  const birth = civilFromDays(birthDay);
  const oldEnough = daysFromCivil(birth.year + MIN_JOIN_AGE, birth.month, birth.day);
  const latest = REFERENCE_DAY - minAgo;
  // Never empty for the demo brands: members are at least 18 and every launch is over a year back.
  const earliest = Math.min(latest, Math.max(REFERENCE_DAY - maxAgo, oldEnough, launchDay));
  // Programmes grow, so recent joins are more common than old ones.
  const skew = rng.next() ** 1.4;
  return latest - Math.floor(skew * (latest - earliest + 1));
}
