import { sql } from "drizzle-orm";
import { boolean, date, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * A brand's members: the personal data that never leaves this node. `seq` is a dense integer so
 * that an audience index can keep one compressed bitmap per tag over member positions; `tag_ids`
 * holds the node's tag-dictionary ids (GIN-indexed for SQL counts, the source of those bitmaps).
 */
export const members = pgTable(
  "members",
  {
    seq: integer("seq").primaryKey().generatedAlwaysAsIdentity(),
    id: uuid("id").notNull().unique().defaultRandom(),
    externalId: text("external_id").notNull().unique(),
    name: text("name").notNull(),
    phone: text("phone"),
    email: text("email"),
    address: text("address"),
    birthDate: date("birth_date"),
    joinDate: date("join_date").notNull(),
    consentSms: boolean("consent_sms").notNull().default(false),
    consentEmail: boolean("consent_email").notNull().default(false),
    consentMail: boolean("consent_mail").notNull().default(false),
    tagIds: integer("tag_ids").array().notNull().default(sql`'{}'::integer[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("members_tag_ids_gin").using("gin", table.tagIds),
    // An SMS opt-out reply names the phone it came from.
    index("members_phone").on(table.phone),
  ],
);
