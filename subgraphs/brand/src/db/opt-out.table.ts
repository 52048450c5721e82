import { bigint, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const OPT_OUT_SOURCES = ["SMS_REPLY", "EMAIL_LINK"] as const;
export type OptOutSource = (typeof OPT_OUT_SOURCES)[number];

/**
 * Each withdrawal of consent on a channel (an SMS "T"/"STOP" reply, an email's one-click
 * unsubscribe): the member's consent column changes at once, and this row keeps when and how,
 * and for which request's message when known. It never leaves the node.
 */
export const optOuts = pgTable(
  "opt_outs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    memberSeq: integer("member_seq").notNull(),
    channel: text("channel", { enum: ["SMS", "EMAIL", "MAIL"] }).notNull(),
    source: text("source", { enum: OPT_OUT_SOURCES }).notNull(),
    requestId: uuid("request_id"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("opt_outs_member").on(table.memberSeq)],
);
