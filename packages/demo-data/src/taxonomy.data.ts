import type { TaxonomyTag } from "./taxonomy-tag.type.js";

export const AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55+"] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const GENDERS = ["f", "m"] as const;
export type Gender = (typeof GENDERS)[number];

export const REGIONS = ["east", "north", "south", "central", "southwest", "northwest", "northeast"] as const;
export type Region = (typeof REGIONS)[number];

export const LIFECYCLE_STAGES = ["new", "active", "dormant", "churned"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const RFM_SCORES = ["1", "2", "3", "4", "5"] as const;
export type RfmScore = (typeof RFM_SCORES)[number];

export const INTERESTS = [
  "baking",
  "tea",
  "coffee",
  "fashion",
  "beauty",
  "fitness",
  "travel",
  "parenting",
  "pets",
  "gaming",
  "outdoors",
  "reading",
  "music",
  "food",
  "home",
] as const;
export type Interest = (typeof INTERESTS)[number];

/** Dimensions of which a member holds at most one value (every demo member exactly one). */
export const SINGLE_VALUED_DIMENSIONS = ["age", "gender", "region", "lifecycle", "rfm_r", "rfm_f", "rfm_m"] as const;

const REGION_LABELS: Record<Region, [string, string]> = {
  east: ["华东", "East China"],
  north: ["华北", "North China"],
  south: ["华南", "South China"],
  central: ["华中", "Central China"],
  southwest: ["西南", "Southwest China"],
  northwest: ["西北", "Northwest China"],
  northeast: ["东北", "Northeast China"],
};

const LIFECYCLE_LABELS: Record<LifecycleStage, [string, string]> = {
  new: ["新客", "New"],
  active: ["活跃", "Active"],
  dormant: ["沉睡", "Dormant"],
  churned: ["流失", "Churned"],
};

const INTEREST_LABELS: Record<Interest, [string, string]> = {
  baking: ["烘焙", "Baking"],
  tea: ["茶饮", "Tea"],
  coffee: ["咖啡", "Coffee"],
  fashion: ["时尚穿搭", "Fashion"],
  beauty: ["美妆护肤", "Beauty"],
  fitness: ["运动健身", "Fitness"],
  travel: ["旅行", "Travel"],
  parenting: ["母婴亲子", "Parenting"],
  pets: ["宠物", "Pets"],
  gaming: ["游戏", "Gaming"],
  outdoors: ["户外", "Outdoors"],
  reading: ["阅读", "Reading"],
  music: ["音乐", "Music"],
  food: ["美食", "Food"],
  home: ["家居生活", "Home living"],
};

const RFM_LABELS = {
  rfm_r: ["最近消费", "Recency", "R"],
  rfm_f: ["消费频次", "Frequency", "F"],
  rfm_m: ["消费金额", "Monetary", "M"],
} as const;

const SINGLE_VALUED: ReadonlySet<string> = new Set(SINGLE_VALUED_DIMENSIONS);

function tag(dimension: string, value: string, labelZh: string, labelEn: string, sensitive = false): TaxonomyTag {
  const cardinality = SINGLE_VALUED.has(dimension) ? "ONE" : "MANY";
  return Object.freeze({ dimension, value, key: `${dimension}:${value}`, labelZh, labelEn, sensitive, cardinality });
}

function buildTaxonomy(): TaxonomyTag[] {
  const tags: TaxonomyTag[] = [];
  for (const band of AGE_BANDS) {
    const zh = band === "55+" ? "55岁及以上" : `${band}岁`;
    tags.push(tag("age", band, zh, `Age ${band}`));
  }
  tags.push(tag("gender", "f", "女", "Female"), tag("gender", "m", "男", "Male"));
  for (const region of REGIONS) tags.push(tag("region", region, ...REGION_LABELS[region]));
  for (const stage of LIFECYCLE_STAGES) tags.push(tag("lifecycle", stage, ...LIFECYCLE_LABELS[stage]));
  for (const [dimension, [zh, en, letter]] of Object.entries(RFM_LABELS)) {
    for (const score of RFM_SCORES) tags.push(tag(dimension, score, `${zh} ${letter}${score}`, `${en} ${score}`));
  }
  for (const interest of INTERESTS) tags.push(tag("interest", interest, ...INTEREST_LABELS[interest]));
  tags.push(tag("health", "pregnant", "孕期", "Pregnant", true));
  return tags;
}

/** The shared tag taxonomy of the demo pool, labelled in 简体中文 and English. */
export const TAXONOMY: readonly TaxonomyTag[] = Object.freeze(buildTaxonomy());

/** Every taxonomy key, for quick membership checks. */
export const TAXONOMY_KEYS: ReadonlySet<string> = new Set(TAXONOMY.map((t) => t.key));
