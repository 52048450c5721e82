import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Outreach requests: what a requester brand asks its partners' nodes to send. Never changed once
 * created (the content hash covers every field an owner approves); only the targets' statuses move.
 */
export const outreachRequests = pgTable(
  "outreach_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requesterBrand: text("requester_brand").notNull(),
    /** Who created it (the principal's subject): for the requester's own audit, never shown to owners. */
    createdBy: text("created_by").notNull(),
    expression: text("expression").notNull(),
    channel: text("channel", { enum: ["SMS", "EMAIL", "MAIL"] }).notNull(),
    subject: text("subject"),
    message: text("message").notNull(),
    purpose: text("purpose").notNull(),
    maxRecipientsPerBrand: integer("max_recipients_per_brand").notNull(),
    sendAfter: timestamp("send_after", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    contentHash: text("content_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("outreach_requests_requester").on(table.requesterBrand, table.createdAt)],
);

/** One target brand of a request and where it stands. The owner's reasons stay at the owner's node. */
export const outreachTargets = pgTable(
  "outreach_targets",
  {
    requestId: uuid("request_id")
      .notNull()
      .references(() => outreachRequests.id),
    brandId: text("brand_id").notNull(),
    status: text("status", { enum: ["PENDING", "APPROVED", "DECLINED", "EXPIRED", "CANCELLED", "SENDING", "SENT", "FAILED"] })
      .notNull()
      .default("PENDING"),
    statusAt: timestamp("status_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * The last status the target's own node reported (its `outreach.status` events), null before
     * the first: the node is the source of truth, and each report must move forward from this one.
     */
    reportedStatus: text("reported_status", { enum: ["PENDING", "APPROVED", "DECLINED", "EXPIRED", "CANCELLED", "SENDING", "SENT", "FAILED"] }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** What the target's node must hold of it: each change it must learn of is a new version. */
    version: integer("version").notNull().default(1),
    /** The latest version the target's node acknowledged storing; 0 before its first pull. */
    deliveredVersion: integer("delivered_version").notNull().default(0),
    /** Increasing over all targets, drawn again with each new version: the order of a node's inbox. */
    deliverySeq: bigint("delivery_seq", { mode: "number" }).notNull().generatedByDefaultAsIdentity(),
  },
  (table) => [
    primaryKey({ columns: [table.requestId, table.brandId] }),
    index("outreach_targets_brand").on(table.brandId, table.createdAt),
    index("outreach_targets_inbox").on(table.brandId, table.deliverySeq),
  ],
);
