const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

// Postgres silently truncates identifiers to 63 bytes; the trigger function is named
// `<table>_refuse_rewrite`, so longer table names could collide once truncated.
const MAX_TABLE_NAME_LENGTH = 63 - "_refuse_rewrite".length;

/** Throws unless `table` is a plain lower-case identifier that is safe to splice into SQL. */
export function assertAuditTableName(table: string): void {
  if (typeof table !== "string" || !TABLE_NAME.test(table) || table.length > MAX_TABLE_NAME_LENGTH) {
    throw new Error(
      `Not a valid audit table name: ${JSON.stringify(table)} (expected ^[a-z_][a-z0-9_]*$, at most ${MAX_TABLE_NAME_LENGTH} characters)`,
    );
  }
}

/**
 * The validated name, double-quoted: quoting keeps reserved words such as `order` or `user` usable
 * as table names and is exact, since the name is already lower-case.
 */
export function quoteAuditTable(table: string): string {
  assertAuditTableName(table);
  return `"${table}"`;
}
