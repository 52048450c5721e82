import { pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Events a node pushed, by brand and id: a repeated push (a node catching up) is accepted once,
 * and the same id from two brands is two receipts (a node picks its own ids; it cannot take or
 * shadow another brand's).
 */
export const nodeEventReceipts = pgTable(
  "node_event_receipts",
  {
    id: uuid("id").notNull(),
    brandId: text("brand_id").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ name: "node_event_receipts_brand_id_id_pk", columns: [table.brandId, table.id] })],
);
