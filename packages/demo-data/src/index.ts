export type { TaxonomyTag } from "./taxonomy-tag.type.js";
export {
  TAXONOMY,
  TAXONOMY_KEYS,
  SINGLE_VALUED_DIMENSIONS,
  AGE_BANDS,
  GENDERS,
  REGIONS,
  LIFECYCLE_STAGES,
  RFM_SCORES,
  INTERESTS,
} from "./taxonomy.data.js";
export type { AgeBand, Gender, Region, LifecycleStage, RfmScore, Interest } from "./taxonomy.data.js";
export type { DemoBrand, DemoBrandId } from "./demo-brand.type.js";
export { DEMO_BRANDS } from "./demo-brands.data.js";
export type { DemoMember, GenerateMembersOptions } from "./demo-member.type.js";
export { generateMembers, DEFAULT_SEED } from "./generate-members.js";
export { REFERENCE_DATE, LIFECYCLE_JOIN_WINDOWS, MIN_JOIN_AGE } from "./member-dates.js";
export { MAX_MEMBERS_PER_BRAND } from "./member-contact.js";
export { ageOn } from "./civil-date.util.js";
export { SeededRandom } from "./seeded-random.util.js";
