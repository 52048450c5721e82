import { CITIES_BY_REGION, COMPOUNDS, ROADS } from "./china-places.data.js";
import type { City } from "./china-places.data.js";
import { feistelPermute } from "./feistel-permutation.util.js";
import type { MemberName } from "./member-name.js";
import type { SeededRandom } from "./seeded-random.util.js";
import type { Region } from "./taxonomy.data.js";
import { pickWeighted, weightedTable } from "./weighted-table.util.js";
import type { WeightedTable } from "./weighted-table.util.js";

/** Phone numbers have 8 free digits after the prefix, so a brand can have this many distinct ones. */
export const MAX_MEMBERS_PER_BRAND = 100_000_000;

/**
 * Mainland mobile prefixes of the three carriers, weighted towards the older, fuller 13x, 15x and
 * 18x ranges. 170/171 (resellers) are left out.
 */
const PHONE_PREFIXES = weightedTable<string>([
  ...["130", "131", "132", "133", "134", "135", "136", "137", "138", "139"].map((p): [string, number] => [p, 3]),
  ...["150", "151", "152", "153", "155", "156", "157", "158", "159"].map((p): [string, number] => [p, 2]),
  ...["173", "175", "176", "177", "178"].map((p): [string, number] => [p, 1]),
  ...["180", "181", "182", "183", "184", "185", "186", "187", "188", "189"].map((p): [string, number] => [p, 2]),
  ...["191", "193", "195", "198", "199"].map((p): [string, number] => [p, 1]),
]);

/** Reserved for documentation (RFC 2606 and CNNIC's example.cn), so a demo can never mail anyone. */
const EMAIL_DOMAINS = weightedTable<string>([
  ["example.cn", 50],
  ["example.com", 35],
  ["example.net", 15],
]);

type LocalPartStyle = (name: MemberName) => string;

const LOCAL_PART_STYLES = weightedTable<LocalPartStyle>([
  [(n) => n.surnamePinyin + n.givenPinyin.join(""), 40],
  [(n) => `${n.givenPinyin.join("")}.${n.surnamePinyin}`, 20],
  [(n) => `${n.surnamePinyin}_${n.givenPinyin.join("")}`, 10],
  [(n) => n.surnamePinyin + n.givenPinyin.map((p) => p[0]).join(""), 15],
  [(n) => (n.surnamePinyin[0] ?? "") + n.givenPinyin.map((p) => p[0]).join(""), 15],
]);

const CITY_TABLES = Object.fromEntries(
  Object.entries(CITIES_BY_REGION).map(([region, cities]) => [
    region,
    weightedTable(cities.map((c): [City, number] => [c, c.weight])),
  ]),
) as Record<Region, WeightedTable<City>>;

export interface ContactKeys {
  readonly phone: readonly number[];
  readonly email: readonly number[];
}

/**
 * E.164 without spaces (`+8613812345678`): the form SMS gateways take and the one a phone column
 * can hold unique. The last 8 digits permute the member's index, so no two members share a number.
 */
export function makePhone(rng: SeededRandom, index: number, keys: ContactKeys): string {
  const subscriber = feistelPermute(index, 10_000, keys.phone);
  return `+86${pickWeighted(PHONE_PREFIXES, rng)}${String(subscriber).padStart(8, "0")}`;
}

/**
 * A pinyin local part plus a number that permutes the member's index: 6 digits for the first
 * million members, the plain index beyond, so the number alone makes the address unique.
 */
export function makeEmail(rng: SeededRandom, name: MemberName, index: number, keys: ContactKeys): string {
  const suffix = index < 1_000_000 ? String(feistelPermute(index, 1_000, keys.email)).padStart(6, "0") : String(index);
  const local = pickWeighted(LOCAL_PART_STYLES, rng)(name);
  return `${local}${suffix}@${pickWeighted(EMAIL_DOMAINS, rng)}`;
}

/** A Chinese-order address: province, city, district, road and number, compound, building, room. */
export function makeAddress(rng: SeededRandom, region: Region): string {
  const city = pickWeighted(CITY_TABLES[region], rng);
  const district = rng.pick(city.districts);
  const road = rng.pick(ROADS);
  // Small street numbers are far more common than large ones.
  const number = 1 + Math.floor(600 * rng.next() * rng.next());
  const compound = rng.pick(COMPOUNDS);
  const building = rng.int(1, 28);
  const floor = rng.int(1, 32);
  const room = `${floor}${String(rng.int(1, 4)).padStart(2, "0")}`;
  const unit = rng.chance(0.7) ? `${rng.int(1, 4)}单元` : "";
  return `${city.province}${city.city}${district}${road}${number}号${compound}${building}栋${unit}${room}室`;
}
