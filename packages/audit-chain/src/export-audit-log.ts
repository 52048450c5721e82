import { isoFromPostgres, readAuditRows } from "./audit-table.rows.js";
import type { AuditQueryable } from "./audit-chain.types.js";

/**
 * The whole log as JSON Lines, in seq order: one event per string, each ending in "\n", with the
 * fields `seq, id, occurredAt, type, actor, subject, payload, prevHash, hash` — ready to pipe into
 * a file for `npm run audit:verify -- <file>`.
 *
 * The JSON columns are copied as Postgres prints them rather than re-serialised, so the file shows
 * what is stored, digit for digit, and an offline check sees the same breaks as verifyAuditTable.
 */
export async function* exportAuditLog(queryable: AuditQueryable, table: string): AsyncGenerator<string> {
  for await (const row of readAuditRows(queryable, table)) {
    // jsonb text output never contains a raw line break (they are escaped inside strings).
    yield `{"seq":${row.seq},"id":${JSON.stringify(row.id)},"occurredAt":${JSON.stringify(isoFromPostgres(row.occurred_at))},` +
      `"type":${JSON.stringify(row.type)},"actor":${row.actor},"subject":${row.subject},"payload":${row.payload},` +
      `"prevHash":${JSON.stringify(row.prev_hash)},"hash":${JSON.stringify(row.hash)}}\n`;
  }
}
