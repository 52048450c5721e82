import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** A target's status, as the contract names them; the node is the source of truth for its own. */
export const TARGET_STATUSES = ["PENDING", "APPROVED", "DECLINED", "EXPIRED", "CANCELLED", "SENDING", "SENT", "FAILED"] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

/** Who made a target's decision, for the owner only (the requester never learns it). */
export const DECIDED_KINDS = ["APPROVER", "RULE", "MINIMUM_AUDIENCE", "EXPIRY"] as const;
export type DecidedKind = (typeof DECIDED_KINDS)[number];

/**
 * This node's own copy of each outreach request addressed to it, stored at receipt after the
 * node recomputed the content hash itself. `version` is the coordinator's version of this
 * node's target (a cancellation is a later version): a copy only ever moves forward.
 */
export const incomingRequests = pgTable(
  "incoming_requests",
  {
    requestId: uuid("request_id").primaryKey(),
    version: integer("version").notNull(),
    requesterBrand: text("requester_brand").notNull(),
    expression: text("expression").notNull(),
    channel: text("channel", { enum: ["SMS", "EMAIL", "MAIL"] }).notNull(),
    subject: text("subject"),
    message: text("message").notNull(),
    purpose: text("purpose").notNull(),
    maxRecipients: integer("max_recipients").notNull(),
    sendAfter: timestamp("send_after", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** All targets of the request: the hash covers them, so the node keeps them to re-check it. */
    targets: text("targets").array().notNull(),
    contentHash: text("content_hash").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    status: text("status", { enum: TARGET_STATUSES }).notNull().default("PENDING"),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }).notNull().defaultNow(),
    /** The cap this node's approver approved (at most `max_recipients`); null until approved. */
    approvedCap: integer("approved_cap"),
    /** Who decided (the approver's subject, or the rule that did), and when. */
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decidedKind: text("decided_kind", { enum: DECIDED_KINDS }),
    /**
     * An automatic decline is told to the requester (the coordinator's event, the status it reads
     * here) only at `release_at`, drawn like a person's response time; `released_at` once told.
     */
    releaseAt: timestamp("release_at", { withTimezone: true }),
    releasedAt: timestamp("released_at", { withTimezone: true }),
    /** The owner's reason for a decline: kept here, never sent to the requester. */
    declineReason: text("decline_reason"),
    /** When the approver was told of this request, and of its coming expiry: each at most once. */
    approverToldAt: timestamp("approver_told_at", { withTimezone: true }),
    approverWarnedAt: timestamp("approver_warned_at", { withTimezone: true }),
  },
  (table) => [
    check("incoming_requests_version_positive", sql`${table.version} > 0`),
    check("incoming_requests_approved_cap_within", sql`${table.approvedCap} IS NULL OR (${table.approvedCap} > 0 AND ${table.approvedCap} <= ${table.maxRecipients})`),
  ],
);
