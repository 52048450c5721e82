import { quoteAuditTable } from "./audit-table.name.js";
import { hasOnlyExactNumbers } from "./audit-json.numbers.js";
import type { AuditChainLink } from "./audit-chain.hash.js";
import type { AuditQueryable } from "./audit-chain.types.js";

/** Rows per keyset page when reading a whole table. */
export const AUDIT_PAGE_SIZE = 1000;

/**
 * A stored event exactly as Postgres holds it. Everything comes back as text so that nothing is
 * rounded on the way: bigint seq, microsecond timestamps and jsonb decimals are all checked
 * against the hashed form instead of being coerced into it.
 */
export type AuditRow = {
  seq: string;
  id: string;
  occurred_at: string;
  type: string;
  actor: string;
  subject: string;
  payload: string;
  prev_hash: string;
  hash: string;
};

// to_char in UTC, not the driver's Date parsing: independent of the session's TimeZone and
// DateStyle, and it keeps microseconds, which the millisecond hash cannot have produced.
// Columns are qualified because ORDER BY prefers output names: a bare `ORDER BY seq` would sort
// by the text alias (1, 10, 2...).
export const AUDIT_ROW_COLUMNS = `e.seq::text AS seq, e.id::text AS id,
  to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS occurred_at,
  e.type, e.actor::text AS actor, e.subject::text AS subject, e.payload::text AS payload, e.prev_hash, e.hash`;

/**
 * All rows in chain order, read in pages with keyset pagination. The key is (seq, id) rather than
 * seq alone so that duplicated seqs (possible only if someone dropped the primary key) are still
 * all read and reported, not skipped at a page boundary.
 */
export async function* readAuditRows(queryable: AuditQueryable, table: string): AsyncGenerator<AuditRow> {
  const from = quoteAuditTable(table);
  let after: { seq: string; id: string } | null = null;
  for (;;) {
    const page: AuditRow[] = after
      ? await query(
          queryable,
          `SELECT ${AUDIT_ROW_COLUMNS} FROM ${from} AS e WHERE (e.seq, e.id) > ($1::bigint, $2::uuid) ORDER BY e.seq, e.id LIMIT ${AUDIT_PAGE_SIZE}`,
          [after.seq, after.id],
        )
      : await query(queryable, `SELECT ${AUDIT_ROW_COLUMNS} FROM ${from} AS e ORDER BY e.seq, e.id LIMIT ${AUDIT_PAGE_SIZE}`, []);
    yield* page;
    const last = page.at(-1);
    if (page.length < AUDIT_PAGE_SIZE || !last) return;
    after = { seq: last.seq, id: last.id };
  }
}

/**
 * The chain's view of a row; `faithful` is false when a value could not be read back exactly
 * (a seq beyond 2^53, a jsonb number finer than a double), which must count as a break.
 */
export function linkFromRow(row: AuditRow): { link: AuditChainLink & { hash: string }; faithful: boolean } {
  const seq = Number(row.seq);
  const faithful =
    String(seq) === row.seq &&
    hasOnlyExactNumbers(row.actor) &&
    hasOnlyExactNumbers(row.subject) &&
    hasOnlyExactNumbers(row.payload);
  return {
    link: {
      seq,
      id: row.id,
      occurredAt: isoFromPostgres(row.occurred_at),
      type: row.type,
      actor: JSON.parse(row.actor) as unknown,
      subject: JSON.parse(row.subject) as unknown,
      payload: JSON.parse(row.payload) as unknown,
      prevHash: row.prev_hash,
      hash: row.hash,
    },
    faithful,
  };
}

/** `2024-05-01T08:00:00.123000` -> `2024-05-01T08:00:00.123Z`; sub-millisecond digits are kept. */
export function isoFromPostgres(text: string): string {
  return text.endsWith("000") ? `${text.slice(0, -3)}Z` : `${text}Z`;
}

async function query(queryable: AuditQueryable, text: string, values: unknown[]): Promise<AuditRow[]> {
  const result = await queryable.query<AuditRow>(text, values);
  return result.rows;
}
