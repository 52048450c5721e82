import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Dimensions of the shared taxonomy and how many values a member may hold in each: `ONE` (age,
 * gender, region, lifecycle, rfm_*: at most one) or `MANY` (interest). Nodes enforce it on every
 * write and the privacy ledger's question key relies on it, so it is fixed when a dimension is
 * created (a trigger refuses any change).
 */
export const taxonomyDimensions = pgTable("taxonomy_dimensions", {
  dimension: text("dimension").primaryKey(),
  cardinality: text("cardinality", { enum: ["ONE", "MANY"] }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
