import { sql } from "drizzle-orm";
import { check, integer, pgTable, smallint, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The owner's sharing rules (Cedar, policy/sharing-rules.cedarschema), one row per saved version:
 * the newest is in force, the older ones are its history. Only a text that validated is saved;
 * rows are never changed (each change is a new version, audited with the text's hash).
 */
export const sharingRules = pgTable(
  "sharing_rules",
  {
    version: integer("version").primaryKey(),
    policies: text("policies").notNull(),
    /** SHA-256 (hex) of `policies`, as the audit event names it. */
    hash: text("hash").notNull(),
    validatedAt: timestamp("validated_at", { withTimezone: true }).notNull().defaultNow(),
    /** Who saved it (the admin's subject). */
    savedBy: text("saved_by").notNull(),
  },
  (table) => [check("sharing_rules_version_positive", sql`${table.version} > 0`)],
);

/** The owner's minimum outreach audience, when it differs from the default (1,000). One row at most. */
export const outreachMinimum = pgTable(
  "outreach_minimum",
  {
    id: smallint("id").primaryKey().default(1),
    minimum: integer("minimum").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check("outreach_minimum_singleton", sql`${table.id} = 1`), check("outreach_minimum_at_least_100", sql`${table.minimum} >= 100`)],
);
