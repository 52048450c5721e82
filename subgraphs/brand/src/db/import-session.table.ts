import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";

/**
 * An import session (`beginImport`): rows are appended in chunks and staged in
 * `import_session_rows`, then `commitImport` writes them all in one transaction. A session
 * belongs to the principal that began it (`owner`, the principal key) and expires.
 */
export const importSessions = pgTable(
  "import_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    /** The principal that began it (principalKey): only it may append or commit. */
    owner: text("owner").notNull(),
    status: text("status").notNull().default("OPEN"),
    /** Rows numbered so far (accepted and rejected): the next chunk's first row is this + 1. */
    rowCount: integer("row_count").notNull().default(0),
    accepted: integer("accepted").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    committedAt: timestamp("committed_at", { withTimezone: true }),
  },
  (table) => [
    check("import_sessions_kind", sql`${table.kind} IN ('MEMBERS')`),
    check("import_sessions_status", sql`${table.status} IN ('OPEN', 'COMMITTED')`),
  ],
);

/** The rows of an open session that passed validation, as MemberRowSchema left them; deleted at commit. */
export const importSessionRows = pgTable(
  "import_session_rows",
  {
    importId: uuid("import_id")
      .notNull()
      .references(() => importSessions.id, { onDelete: "cascade" }),
    /** The row's number in the whole file (1-based, across chunks). */
    row: integer("row").notNull(),
    externalId: text("external_id").notNull(),
    value: jsonb("value").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.importId, table.row] }),
    unique("import_session_rows_external_id").on(table.importId, table.externalId),
  ],
);
