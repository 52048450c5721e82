import { BRAND_PROFILES } from "./brand-profile.data.js";
import type { BrandProfile } from "./brand-profile.data.js";
import { daysFromCivil, formatIsoDate, parseIsoDate, civilFromDays } from "./civil-date.util.js";
import type { DemoBrandId } from "./demo-brand.type.js";
import { DEMO_BRANDS } from "./demo-brands.data.js";
import type { DemoMember, GenerateMembersOptions } from "./demo-member.type.js";
import { makeAddress, makeEmail, makePhone, MAX_MEMBERS_PER_BRAND } from "./member-contact.js";
import type { ContactKeys } from "./member-contact.js";
import { pickConsent } from "./member-consent.js";
import { pickBirthDay, pickJoinDay } from "./member-dates.js";
import { pickMemberName } from "./member-name.js";
import { pickFrequency, pickMonetary, pickRecency } from "./member-rfm.js";
import { pickInterests } from "./pick-interests.js";
import { hashString128, mix32, SeededRandom } from "./seeded-random.util.js";
import { AGE_BANDS, LIFECYCLE_STAGES, REGIONS } from "./taxonomy.data.js";
import type { AgeBand, LifecycleStage, Region } from "./taxonomy.data.js";
import { pickWeighted, weightedTable } from "./weighted-table.util.js";
import type { WeightedTable } from "./weighted-table.util.js";

export const DEFAULT_SEED = "brandpool-demo";

/** Share of women aged 25-34 tagged `health:pregnant`. */
const PREGNANT_SHARE = 0.01;

interface BrandTables {
  readonly profile: BrandProfile;
  readonly prefix: string;
  readonly launchDay: number;
  readonly age: WeightedTable<AgeBand>;
  readonly region: WeightedTable<Region>;
  readonly lifecycle: WeightedTable<LifecycleStage>;
}

function brandTables(brandId: DemoBrandId): BrandTables {
  const profile = BRAND_PROFILES[brandId];
  const brand = DEMO_BRANDS.find((b) => b.id === brandId);
  const launch = parseIsoDate(profile.programmeLaunch);
  return {
    profile,
    prefix: brand?.memberNumberPrefix ?? brandId.toUpperCase(),
    launchDay: daysFromCivil(launch.year, launch.month, launch.day),
    age: weightedTable(AGE_BANDS.map((band): [AgeBand, number] => [band, profile.age[band]])),
    region: weightedTable(REGIONS.map((region): [Region, number] => [region, profile.region[region]])),
    lifecycle: weightedTable(LIFECYCLE_STAGES.map((stage): [LifecycleStage, number] => [stage, profile.lifecycle[stage]])),
  };
}

function isDemoBrandId(id: string): id is DemoBrandId {
  return Object.hasOwn(BRAND_PROFILES, id);
}

function checkCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * Yields `count` synthetic members of a demo brand, lazily, starting at member `startIndex`.
 *
 * Each member is drawn from its own PRNG stream keyed by (seed, brand, index), so the output is
 * fully deterministic, member N is identical whether generated in one run or continued with
 * `startIndex`, and memory stays flat however many members are drawn. Options are checked when
 * called, not at the first `next()`. Throws `RangeError` for an unknown brand, a negative or
 * fractional count or start, or more than 100,000,000 members per brand.
 */
export function generateMembers(options: GenerateMembersOptions): Generator<DemoMember> {
  const { brandId, count, seed = DEFAULT_SEED, startIndex = 0 } = options;
  if (!isDemoBrandId(brandId)) {
    throw new RangeError(`unknown demo brand "${brandId}"; expected one of ${Object.keys(BRAND_PROFILES).join(", ")}`);
  }
  checkCount("count", count);
  checkCount("startIndex", startIndex);
  if (startIndex + count > MAX_MEMBERS_PER_BRAND) {
    throw new RangeError(`a brand can have at most ${MAX_MEMBERS_PER_BRAND} demo members`);
  }
  return memberSequence(brandTables(brandId), seed, brandId, startIndex, count);
}

function* memberSequence(
  tables: BrandTables,
  seed: string,
  brandId: DemoBrandId,
  startIndex: number,
  count: number,
): Generator<DemoMember> {
  // JSON keeps ("a", "bc") and ("ab", "c") apart.
  const base = hashString128(JSON.stringify([seed, brandId]));
  const keys: ContactKeys = {
    phone: [1, 2, 3, 4].map((k) => mix32(base[0] + k)),
    email: [5, 6, 7, 8].map((k) => mix32(base[1] + k)),
  };
  const rng = new SeededRandom(seed);
  for (let index = startIndex; index < startIndex + count; index++) {
    rng.reseed(base, index);
    yield buildMember(rng, tables, index, keys);
  }
}

function buildMember(rng: SeededRandom, tables: BrandTables, index: number, keys: ContactKeys): DemoMember {
  const { profile } = tables;
  const age = pickWeighted(tables.age, rng);
  const gender = rng.chance(profile.femaleShare) ? "f" : "m";
  const region = pickWeighted(tables.region, rng);
  const lifecycle = pickWeighted(tables.lifecycle, rng);
  const birthDay = pickBirthDay(rng, age);
  const joinDay = pickJoinDay(rng, lifecycle, birthDay, tables.launchDay);
  const recency = pickRecency(rng, lifecycle, joinDay);
  const frequency = pickFrequency(rng, lifecycle);
  const monetary = pickMonetary(rng, profile, frequency);
  const pregnant = gender === "f" && age === "25-34" && rng.chance(PREGNANT_SHARE);
  const interests = pickInterests(rng, profile, gender, age, pregnant);
  const name = pickMemberName(rng, gender, civilFromDays(birthDay).year, region);

  const tags = [
    `age:${age}`,
    `gender:${gender}`,
    `region:${region}`,
    `lifecycle:${lifecycle}`,
    `rfm_r:${recency}`,
    `rfm_f:${frequency}`,
    `rfm_m:${monetary}`,
  ];
  for (const interest of interests) tags.push(`interest:${interest}`);
  if (pregnant) tags.push("health:pregnant");

  return {
    externalId: `${tables.prefix}${String(index + 1).padStart(8, "0")}`,
    name: name.name,
    phone: makePhone(rng, index, keys),
    email: makeEmail(rng, name, index, keys),
    address: makeAddress(rng, region),
    birthDate: formatIsoDate(birthDay),
    joinDate: formatIsoDate(joinDay),
    consent: pickConsent(rng, profile, lifecycle, age),
    tags,
  };
}
