import { integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { outreachRequests } from "./outreach-request.table.js";

/**
 * The latest results one target's node released for a request (`outreach.results` events pushed
 * by that node only): released (noisy) figures, null where the node released "fewer than k", and
 * the owner's commitment to the exact ones. A later release replaces an earlier one, never the
 * other way round. Exact figures never reach the coordinator.
 */
export const outreachTargetResults = pgTable(
  "outreach_target_results",
  {
    requestId: uuid("request_id")
      .notNull()
      .references(() => outreachRequests.id),
    brandId: text("brand_id").notNull(),
    releaseNumber: integer("release_number").notNull(),
    contacted: integer("contacted"),
    delivered: integer("delivered"),
    failed: integer("failed"),
    redeemed: integer("redeemed"),
    threshold: integer("threshold").notNull(),
    margin95: integer("margin95").notNull(),
    commitment: text("commitment").notNull(),
    /** When the coordinator recorded it (shown rounded to the hour). */
    releasedAt: timestamp("released_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.requestId, table.brandId] })],
);
