import { boolean, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The shared taxonomy as this node knows it, pulled from the coordinator. Ids are local and
 * small, so members can carry tags as an integer array and an index as one bitmap per id.
 */
export const tagDictionary = pgTable("tag_dictionary", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  key: text("key").notNull().unique(),
  sensitive: boolean("sensitive").notNull().default(false),
  /** The cardinality of the tag's dimension (ONE: at most one value per member), from the taxonomy. */
  cardinality: text("cardinality", { enum: ["ONE", "MANY"] }).notNull().default("MANY"),
  syncedAt: timestamp("synced_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Single-valued dimensions this node has checked its members against: none holds two values.
 * Only then does the question key treat the dimension as ONE (a node that knew a dimension
 * before it was declared ONE may hold members with two values; keying by exclusivity there
 * would merge wordings that differ on its data). Writes keep it true once checked.
 */
export const checkedDimensions = pgTable("checked_dimensions", {
  dimension: text("dimension").primaryKey(),
  checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
});
