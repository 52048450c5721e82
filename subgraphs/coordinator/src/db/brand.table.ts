import { boolean, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The brand registry: who is in the pool and how to reach and verify them. Changed only by a
 * platform admin (every change audited); a brand takes part only once admitted.
 */
export const brands = pgTable("brands", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  nameZh: text("name_zh"),
  nodeUrl: text("node_url").notNull(),
  /** The node's public Ed25519 JWK, for tokens it signs as principal `node:<id>`. */
  nodeKey: jsonb("node_key").notNull(),
  /** Issuer (`iss`) of the JWTs of this brand's people, and its public keys (a JWK set). */
  issuer: text("issuer").notNull(),
  issuerKeys: jsonb("issuer_keys").notNull(),
  /**
   * Public keys of the gateways this brand's node trusts (a JWK set), published so that a brand
   * running its own gateway in front of its node is on record. Null: the shared gateway only.
   */
  gatewayKeys: jsonb("gateway_keys"),
  timeZone: text("time_zone").notNull().default("Asia/Shanghai"),
  admitted: boolean("admitted").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
