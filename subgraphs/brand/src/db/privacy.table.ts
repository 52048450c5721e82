import { sql } from "drizzle-orm";
import { bigint, check, integer, numeric, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * Stored answers: one per question (keyed by meaning, see @brandpool/tag-expression) and period.
 * A repeat within the period returns this row even if the members changed since, so asking again
 * reveals nothing new.
 */
export const privacyAnswers = pgTable(
  "privacy_answers",
  {
    questionKey: text("question_key").notNull(),
    period: text("period").notNull(),
    epsilon: numeric("epsilon").notNull(),
    exactCount: bigint("exact_count", { mode: "number" }).notNull(),
    noisyCount: bigint("noisy_count", { mode: "number" }).notNull(),
    threshold: integer("threshold").notNull(),
    margin95: integer("margin95").notNull(),
    answeredAt: timestamp("answered_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.questionKey, table.period] })],
);

/**
 * Each answer a requester brand received in a period, with what it was charged: one row per
 * (requester, question, period). Its presence is what `repeated` means for that requester.
 */
export const privacySpend = pgTable(
  "privacy_spend",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requesterBrand: text("requester_brand").notNull(),
    period: text("period").notNull(),
    questionKey: text("question_key").notNull(),
    epsilon: numeric("epsilon").notNull(),
    spentAt: timestamp("spent_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (table) => [uniqueIndex("privacy_spend_requester_question").on(table.requesterBrand, table.period, table.questionKey)],
);

/** The owner's quota for one requester brand, when it differs from the default (epsilon a month). */
export const privacyQuotas = pgTable(
  "privacy_quotas",
  {
    requesterBrand: text("requester_brand").primaryKey(),
    epsilonTotal: numeric("epsilon_total").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check("privacy_quotas_total_nonnegative", sql`${table.epsilonTotal} >= 0`)],
);

/** The owner's pool-wide cap, when it differs from the default (epsilon a month). One row at most. */
export const privacyPoolCap = pgTable(
  "privacy_pool_cap",
  {
    id: smallint("id").primaryKey().default(1),
    epsilonTotal: numeric("epsilon_total").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check("privacy_pool_cap_singleton", sql`${table.id} = 1`), check("privacy_pool_cap_total_nonnegative", sql`${table.epsilonTotal} >= 0`)],
);

/**
 * Epsilon a requester brand spent at this owner in a period. Charged by one conditional UPDATE
 * (`spent + cost <= total`), so concurrent new questions can never overspend.
 */
export const privacyQuotaUsage = pgTable(
  "privacy_quota_usage",
  {
    requesterBrand: text("requester_brand").notNull(),
    period: text("period").notNull(),
    epsilonSpent: numeric("epsilon_spent").notNull().default("0"),
  },
  (table) => [primaryKey({ columns: [table.requesterBrand, table.period] })],
);

/** Epsilon this owner released pool-wide in a period (new answers only), charged like the quota. */
export const privacyPoolUsage = pgTable("privacy_pool_usage", {
  period: text("period").primaryKey(),
  epsilonSpent: numeric("epsilon_spent").notNull().default("0"),
});
