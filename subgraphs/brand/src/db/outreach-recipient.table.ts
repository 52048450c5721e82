import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Where one recipient's message stands. `AMBIGUOUS`: an SMTP send whose outcome is unknown, never re-sent. */
export const RECIPIENT_STATUSES = ["QUEUED", "SENT", "FAILED", "AMBIGUOUS"] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/**
 * The recipients one approved request selected on this node, written by one set-based statement
 * when sending starts: at most once per member per request (the primary key), each with its
 * opaque coupon code and a message key fixed before the first attempt (`Message-ID`,
 * `Idempotency-Key`). Personal data stays in `members`; this table holds member positions only,
 * and it never leaves the node.
 */
export const outreachRecipients = pgTable(
  "outreach_recipients",
  {
    requestId: uuid("request_id").notNull(),
    memberSeq: integer("member_seq").notNull(),
    /** The send batch (one pg-boss job) this recipient belongs to. */
    batch: integer("batch").notNull(),
    couponCode: text("coupon_code").notNull().unique(),
    messageKey: uuid("message_key").notNull().unique().defaultRandom(),
    status: text("status", { enum: RECIPIENT_STATUSES }).notNull().default("QUEUED"),
    attempts: integer("attempts").notNull().default(0),
    /**
     * An attempt started and its outcome is not recorded yet. Set before the adapter is called, so
     * that a crash leaves this evidence: found by the next run, an SMTP send is AMBIGUOUS (never
     * re-sent) and a webhook or export send is repeated with the same key.
     */
    inFlight: boolean("in_flight").notNull().default(false),
    /** A RETRY's backoff: not tried again before this time. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    selectedAt: timestamp("selected_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    redeemedAt: timestamp("redeemed_at", { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.requestId, table.memberSeq] }),
    // The frequency cap counts a member's partner messages over a window.
    index("outreach_recipients_member").on(table.memberSeq, table.selectedAt),
    // What is still to send: found without scanning the sent rows of a million-recipient request
    // (after each batch, "is the request done?"; the sweep; a batch's retries). Every query of
    // one batch is of its QUEUED rows, so there is no index of all rows by batch (each index is
    // written a million times when sending starts). The table is stored with free room in each
    // page (fillfactor 70, migration 0010), so that marking an attempt in flight, which changes no
    // indexed column, is a HOT update that writes no index entry.
    index("outreach_recipients_queued").on(table.requestId, table.batch).where(sql`status = 'QUEUED'`),
  ],
);

/** Every attempt at delivering one recipient's message, with its outcome. */
export const deliveryAttempts = pgTable(
  "delivery_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    requestId: uuid("request_id").notNull(),
    memberSeq: integer("member_seq").notNull(),
    attempt: integer("attempt").notNull(),
    /** SENT, RETRY, FAILED or AMBIGUOUS, as the channel adapter reported it. */
    outcome: text("outcome").notNull(),
    /** The channel's own reply (an SMTP code, an HTTP status): never an address or a name. */
    detail: text("detail"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("delivery_attempts_recipient").on(table.requestId, table.memberSeq)],
);
