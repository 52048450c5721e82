import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Events a node pushed, by their id: a repeated push (a node catching up) is accepted once. */
export const nodeEventReceipts = pgTable("node_event_receipts", {
  id: uuid("id").primaryKey(),
  brandId: text("brand_id").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});
