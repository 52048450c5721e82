import {
  CLASSIC_FEMALE,
  CLASSIC_MALE,
  MODERN_FEMALE,
  MODERN_MALE,
  SINGLE_FEMALE,
  SINGLE_MALE,
  SOUTHERN_SURNAMES,
  SURNAMES,
} from "./chinese-names.data.js";
import type { GivenNameChar, Surname } from "./chinese-names.data.js";
import type { SeededRandom } from "./seeded-random.util.js";
import type { Gender, Region } from "./taxonomy.data.js";
import { pickWeighted, weightedTable } from "./weighted-table.util.js";

export interface MemberName {
  readonly name: string;
  readonly surnamePinyin: string;
  readonly givenPinyin: readonly string[];
}

const SURNAME_TABLE = weightedTable(SURNAMES.map((s): [Surname, number] => [s, s[2]]));
const SOUTHERN_SURNAME_TABLE = weightedTable(SOUTHERN_SURNAMES.map((s): [Surname, number] => [s, s[2]]));

export function pickMemberName(rng: SeededRandom, gender: Gender, birthYear: number, region: Region): MemberName {
  const surname = pickWeighted(region === "south" ? SOUTHERN_SURNAME_TABLE : SURNAME_TABLE, rng);
  // Naming fashions changed around 1980: older members mostly carry classic characters and more
  // often a single-character given name.
  const modernShare = birthYear >= 1995 ? 0.9 : birthYear >= 1980 ? 0.55 : 0.15;
  const singleShare = birthYear >= 1995 ? 0.15 : birthYear >= 1980 ? 0.3 : 0.4;
  if (rng.chance(singleShare)) {
    const only = rng.pick(gender === "f" ? SINGLE_FEMALE : SINGLE_MALE);
    return { name: surname[0] + only[0], surnamePinyin: surname[1], givenPinyin: [only[1]] };
  }
  const pool: readonly GivenNameChar[] = rng.chance(modernShare)
    ? gender === "f" ? MODERN_FEMALE : MODERN_MALE
    : gender === "f" ? CLASSIC_FEMALE : CLASSIC_MALE;
  const first = rng.pick(pool);
  // Repeated characters (婷婷, 欣欣) are common for girls and rare for boys, so a repeat drawn for a
  // boy is redrawn once.
  let second = rng.pick(pool);
  if (second === first && gender === "m") second = rng.pick(pool);
  return { name: surname[0] + first[0] + second[0], surnamePinyin: surname[1], givenPinyin: [first[1], second[1]] };
}
