/** One value of one tag dimension in the shared taxonomy, as the coordinator stores it. */
export interface TaxonomyTag {
  /** Matches `[a-z][a-z0-9_]*`. */
  readonly dimension: string;
  /** Matches `[A-Za-z0-9][A-Za-z0-9_+.\-]*`. */
  readonly value: string;
  /** `dimension:value`, the form members' tags and tag expressions use. */
  readonly key: string;
  readonly labelZh: string;
  readonly labelEn: string;
  /** Sensitive tags (health, pregnancy...) may be stored but never used in outreach requests. */
  readonly sensitive: boolean;
  /** How many values of the dimension one member may hold: `ONE` (age, region...) or `MANY` (interest). */
  readonly cardinality: "ONE" | "MANY";
}
