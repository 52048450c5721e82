import { boolean, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** The shared tag taxonomy. `sensitive` can be turned on but never off (a trigger refuses it). */
export const taxonomyTags = pgTable("taxonomy_tags", {
  key: text("key").primaryKey(),
  dimension: text("dimension").notNull(),
  value: text("value").notNull(),
  labelZh: text("label_zh").notNull(),
  labelEn: text("label_en").notNull(),
  sensitive: boolean("sensitive").notNull().default(false),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
