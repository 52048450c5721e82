import { jsonb, pgTable, text, timestamp, uuid, index } from "drizzle-orm/pg-core";

/**
 * Events this node owes the coordinator (estimates answered, policy denials). Written in the same
 * transaction as the node's own audit event; pushed through the gateway, idempotent by id.
 */
export const coordinatorOutbox = pgTable(
  "coordinator_outbox",
  {
    id: uuid("id").primaryKey(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    pushedAt: timestamp("pushed_at", { withTimezone: true }),
  },
  (table) => [index("coordinator_outbox_pending").on(table.createdAt)],
);
