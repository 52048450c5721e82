import { sql } from "drizzle-orm";
import { check, jsonb, pgTable, text, timestamp, uuid, index } from "drizzle-orm/pg-core";

/**
 * Events this node owes the coordinator (estimates answered, policy denials). Written in the same
 * transaction as the node's own audit event; pushed through the gateway, idempotent by id. An
 * event the coordinator refuses is set aside with its reason (never deleted, never pushed again
 * on its own): the node's audit log holds it anyway, and the brand's admin sees it.
 */
export const coordinatorOutbox = pgTable(
  "coordinator_outbox",
  {
    id: uuid("id").primaryKey(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    pushedAt: timestamp("pushed_at", { withTimezone: true }),
    refusedAt: timestamp("refused_at", { withTimezone: true }),
    /** The coordinator's stable code (e.g. PAYLOAD_TOO_LARGE). */
    refusalReason: text("refusal_reason"),
    refusalMessage: text("refusal_message"),
  },
  (table) => [
    index("coordinator_outbox_pending").on(table.createdAt),
    index("coordinator_outbox_refused").on(table.refusedAt, table.id).where(sql`${table.refusedAt} IS NOT NULL`),
    // Set aside means refused with a reason and a message, and never also pushed.
    check(
      "coordinator_outbox_refusal_whole",
      sql`(${table.refusedAt} IS NULL AND ${table.refusalReason} IS NULL AND ${table.refusalMessage} IS NULL) OR (${table.refusedAt} IS NOT NULL AND ${table.refusalReason} IS NOT NULL AND ${table.refusalMessage} IS NOT NULL AND ${table.pushedAt} IS NULL)`,
    ),
  ],
);
