import { sql } from "drizzle-orm";
import { check, integer, numeric, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Each release of one request's results to its requester (`PrivacyLedger.releaseOutreachResults`):
 * number 1 when sending ended, then at most one redemption update a day. The primary key makes
 * each release happen once. The exact figures and the noisy ones stay here; only the released
 * ones (null: fewer than k) leave, in the coordinator's event.
 */
export const outreachResultReleases = pgTable(
  "outreach_result_releases",
  {
    requestId: uuid("request_id").notNull(),
    releaseNumber: integer("release_number").notNull(),
    requesterBrand: text("requester_brand").notNull(),
    releasedAt: timestamp("released_at", { withTimezone: true }).notNull().defaultNow(),
    exactContacted: integer("exact_contacted").notNull(),
    exactDelivered: integer("exact_delivered").notNull(),
    exactFailed: integer("exact_failed").notNull(),
    exactRedeemed: integer("exact_redeemed").notNull(),
    noisyContacted: integer("noisy_contacted").notNull(),
    noisyDelivered: integer("noisy_delivered").notNull(),
    noisyFailed: integer("noisy_failed").notNull(),
    noisyRedeemed: integer("noisy_redeemed").notNull(),
    threshold: integer("threshold").notNull(),
    margin95: integer("margin95").notNull(),
    /** Epsilon this release used (new noise only): the sum over a request stays within its reservation. */
    epsilon: numeric("epsilon").notNull(),
    /** HMAC commitment to the exact figures, as the coordinator's event carries it. */
    commitment: text("commitment").notNull(),
    /** sha256 over the request's recipients (member positions and coupon codes): the owner's log only. */
    recipientsHash: text("recipients_hash").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.requestId, table.releaseNumber] }),
    check("outreach_result_releases_number_positive", sql`${table.releaseNumber} > 0`),
  ],
);
