import { AppError } from "@brandpool/errors";
import { quoteAuditTable } from "./audit-table.name.js";
import { AUDIT_ROW_COLUMNS, isoFromPostgres, readAuditRows } from "./audit-table.rows.js";
import type { AuditRow } from "./audit-table.rows.js";
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
  for await (const row of readAuditRows(queryable, table)) yield exportLine(row);
}

/** Largest page of exportAuditLogPage. */
export const MAX_EXPORT_PAGE = 1000;

/**
 * The lines of exportAuditLog after sequence `afterSeq`, at most `limit`: for an export fetched
 * page by page through the API. Concatenated in order, the pages are exportAuditLog's output.
 */
export async function exportAuditLogPage(
  queryable: AuditQueryable,
  table: string,
  afterSeq: number,
  limit: number,
): Promise<{ lines: string[]; lastSeq: number | null }> {
  if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) throw new AppError("BAD_INPUT", "after must be a sequence number (0 or more).", { field: "after" });
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EXPORT_PAGE) {
    throw new AppError("BAD_INPUT", `first must be between 1 and ${MAX_EXPORT_PAGE}.`, { field: "first" });
  }
  const { rows } = await queryable.query<AuditRow>(
    `SELECT ${AUDIT_ROW_COLUMNS} FROM ${quoteAuditTable(table)} AS e WHERE e.seq > $1::bigint ORDER BY e.seq, e.id LIMIT ${limit}`,
    [String(afterSeq)],
  );
  const last = rows.at(-1);
  return { lines: rows.map(exportLine), lastSeq: last ? Number(last.seq) : null };
}

function exportLine(row: AuditRow): string {
  // jsonb text output never contains a raw line break (they are escaped inside strings).
  return (
    `{"seq":${row.seq},"id":${JSON.stringify(row.id)},"occurredAt":${JSON.stringify(isoFromPostgres(row.occurred_at))},` +
    `"type":${JSON.stringify(row.type)},"actor":${row.actor},"subject":${row.subject},"payload":${row.payload},` +
    `"prevHash":${JSON.stringify(row.prev_hash)},"hash":${JSON.stringify(row.hash)}}\n`
  );
}
