import { assertAuditTableName } from "./audit-table.name.js";

/**
 * DDL for one append-only, hash-chained audit table, for a SQL migration (PostgreSQL 15 or
 * later). The database itself refuses UPDATE, DELETE and TRUNCATE. Statements are separated by
 * drizzle-kit's `--> statement-breakpoint` marker, which is a plain comment to any other tool.
 *
 * `seq` has no sequence object behind it: sequences leave gaps on rollback, and the chain must be
 * gapless, so `appendAuditEvents` assigns it under a table lock.
 */
export function auditTableSql(table: string): string {
  assertAuditTableName(table);
  // Trigger names are scoped to their table; the function is scoped to the schema, so it carries
  // the table's name to let several audit tables share one database.
  const fn = `${table}_refuse_rewrite`;
  // The CHECKs keep rows within what the hash can reproduce: occurred_at is hashed as a
  // millisecond ISO string, and the JSON columns are hashed as objects.
  return `CREATE TABLE "${table}" (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  id uuid NOT NULL UNIQUE,
  occurred_at timestamptz NOT NULL CHECK (occurred_at = date_trunc('milliseconds', occurred_at)),
  type text NOT NULL,
  actor jsonb NOT NULL CHECK (jsonb_typeof(actor) = 'object'),
  subject jsonb NOT NULL CHECK (jsonb_typeof(subject) = 'object'),
  payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE FUNCTION "${fn}"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on %.% is refused: the audit log is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
    USING ERRCODE = 'raise_exception';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER refuse_update_delete BEFORE UPDATE OR DELETE ON "${table}"
  FOR EACH ROW EXECUTE FUNCTION "${fn}"();
--> statement-breakpoint
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON "${table}"
  FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"();
`;
}
