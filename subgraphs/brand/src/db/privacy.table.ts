import { sql } from "drizzle-orm";
import { bigint, integer, numeric, pgTable, primaryKey, text, timestamp, uuid, index } from "drizzle-orm/pg-core";

/**
 * Stored answers: one per normalised question and period. A repeat within the period returns
 * this row even if the members changed since, so asking again reveals nothing new.
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

/** Epsilon charged to a requester brand for each new question it asked in a period. */
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
  (table) => [index("privacy_spend_requester_period").on(table.requesterBrand, table.period)],
);
