import { randomUUID } from "node:crypto";
import type { ClientBase } from "pg";
import { GENESIS_HASH, auditTimestamp, hashAuditEvent } from "./audit-chain.hash.js";
import { assertJsonObject, assertStorableString } from "./audit-json.validate.js";
import { inlineParameters } from "@brandpool/postgres";
import { quoteAuditTable } from "./audit-table.name.js";
import type { AuditEvent, AuditEventContent, NewAuditEvent } from "./audit-chain.types.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// 9 parameters a row; Postgres allows 65,535 parameters in one statement.
const ROWS_PER_INSERT = 1000;

/**
 * Appends events to the chain in `table`, inside the caller's transaction, so that a business
 * write and its audit event commit or roll back together (and a rollback leaves no gap).
 *
 * Takes `LOCK TABLE <table> IN EXCLUSIVE MODE`, held until the caller's transaction ends: appends
 * are serialised, readers (verification, export) are not blocked. Append last in the transaction
 * to hold the lock briefly. The transaction must be READ COMMITTED (the default), so that the
 * tail read after the lock sees the append committed just before; outside a transaction block
 * Postgres refuses the LOCK, so nothing is written unserialised.
 *
 * Throws a plain Error, before locking, for input that would not survive storage unchanged.
 */
export async function appendAuditEvents(
  client: ClientBase,
  table: string,
  events: readonly NewAuditEvent[],
  options: AppendOptions = {},
): Promise<AuditEvent[]> {
  const from = quoteAuditTable(table);
  const contents = events.map((event, index) => prepareEvent(event, `events[${index}]`));
  if (contents.length === 0) return [];

  let tail: AuditTail;
  if (options.lockedTail) {
    tail = options.lockedTail;
  } else if (inTransactionBlock(client)) {
    // One round trip: both statements go as one simple query, each with its own snapshot, so the
    // tail is read after the lock is granted. Only inside an explicit transaction: outside one,
    // Postgres would run the pair as an implicit block and release the lock before the insert.
    const results = (await client.query(lockAuditTailSql(table))) as unknown as { rows: TailRow[] }[];
    tail = auditTailOf(results[1]?.rows ?? []);
  } else {
    // Outside a transaction block Postgres refuses the LOCK, so nothing is written unserialised.
    await client.query(lockSql(from));
    tail = auditTailOf((await client.query<TailRow>(tailSql(from))).rows);
  }

  let seq = tail.seq;
  let prevHash = tail.hash;
  const appended = contents.map((content): AuditEvent => {
    seq += 1;
    const event = { ...content, seq };
    const hash = hashAuditEvent(event, prevHash);
    const stored: AuditEvent = { ...event, prevHash, hash };
    prevHash = hash;
    return stored;
  });

  for (let start = 0; start < appended.length; start += ROWS_PER_INSERT) {
    const insert = insertStatement(from, appended.slice(start, start + ROWS_PER_INSERT), start === 0 ? options.companion : undefined);
    // With `commit`, the last insert and the COMMIT go in one simple query, the values as literals.
    if (options.commit && start + ROWS_PER_INSERT >= appended.length) await client.query(`${inlineParameters(insert.text, insert.values)}; COMMIT`);
    else await client.query(insert.text, insert.values);
  }
  return appended;
}

/** The last link of an audit table, as read under its lock (seq 0 and the genesis hash when empty). */
export interface AuditTail {
  seq: number;
  hash: string;
}

interface TailRow {
  isolation: string;
  seq: string | null;
  hash: string | null;
}

const lockSql = (from: string) => `LOCK TABLE ${from} IN EXCLUSIVE MODE`;
const tailSql = (from: string) => `SELECT current_setting('transaction_isolation') AS isolation, tail.seq::text AS seq, tail.hash
       FROM (SELECT 1) AS one
       LEFT JOIN (SELECT seq, hash FROM ${from} ORDER BY seq DESC LIMIT 1) AS tail ON true`;

/**
 * Two statements without parameters that lock `table` as `appendAuditEvents` does and read its
 * tail, to run in a simple query inside a transaction block (a transaction's BEGIN, with other
 * statements): `auditTailOf` reads the second's rows, and `appendAuditEvents` takes the tail as
 * `lockedTail`, one round trip fewer. The lock is then held from that point to the end of the
 * transaction.
 */
export function lockAuditTailSql(table: string): string {
  const from = quoteAuditTable(table);
  return `${lockSql(from)}; ${tailSql(from)}`;
}

/** The tail from the rows of `lockAuditTailSql`'s second statement; refuses a transaction that is not READ COMMITTED. */
export function auditTailOf(rows: readonly unknown[]): AuditTail {
  const head = rows[0] as TailRow | undefined;
  if (!head) throw new Error("Reading the audit chain's tail returned no row");
  if (head.isolation !== "read committed") {
    // Under REPEATABLE READ or SERIALIZABLE the snapshot may predate the lock, so the tail read
    // would miss the latest append and the insert would fail on a duplicate seq.
    throw new Error(`appendAuditEvents needs a READ COMMITTED transaction, not ${head.isolation.toUpperCase()}`);
  }
  const seq = head.seq === null ? 0 : Number(head.seq);
  if (!Number.isSafeInteger(seq)) throw new Error(`The audit chain's last seq is out of range: ${head.seq}`);
  return { seq, hash: head.hash ?? GENESIS_HASH };
}

export interface AppendOptions {
  /**
   * One more data-modifying statement (an `INSERT ...` with parameters `$1...`) sent in the same
   * round trip as the events' insert, as a CTE of it: it commits or fails with them (an outbox
   * row for another log). It must not read the audit table.
   */
  companion?: { text: string; values: readonly unknown[] };
  /**
   * The tail this transaction read with `lockAuditTailSql` and `auditTailOf` (its lock held
   * since, and nothing appended after it in this transaction): no lock and no read here. Only
   * that: a tail of an earlier seq makes the insert fail on the chain's unique seq, but a tail
   * with the right seq and another hash would be stored as it is (and found by verification).
   */
  lockedTail?: AuditTail;
  /**
   * Ends the caller's transaction with this append: the last insert and `COMMIT` go as one
   * simple query (the values inlined as literals), one round trip fewer. Only as the
   * transaction's last statement; `withTransaction` then sends no COMMIT of its own.
   */
  commit?: boolean;
}

/** Whether the client is inside an explicit transaction block (pg's last ReadyForQuery status). */
function inTransactionBlock(client: ClientBase): boolean {
  const status = (client as { getTransactionStatus?: () => string | null }).getTransactionStatus?.();
  return status === "T";
}

function prepareEvent(event: NewAuditEvent, path: string): Omit<AuditEventContent, "seq"> {
  if (typeof event.type !== "string" || event.type === "") throw new Error(`${path}.type must be a non-empty string`);
  assertStorableString(event.type, `${path}.type`);
  assertJsonObject(event.actor, `${path}.actor`);
  assertJsonObject(event.subject, `${path}.subject`);
  assertJsonObject(event.payload, `${path}.payload`);
  const id = event.id ?? randomUUID();
  if (typeof id !== "string" || !UUID.test(id)) throw new Error(`${path}.id must be a UUID (8-4-4-4-12 hex digits)`);
  const occurredAt = event.occurredAt ?? new Date();
  auditTimestamp(occurredAt);
  return {
    // Postgres prints uuids in lower case; hashing the printed form keeps the hash recomputable.
    id: id.toLowerCase(),
    // Dates already have millisecond precision; the copy only detaches it from the caller.
    occurredAt: new Date(occurredAt.getTime()),
    type: event.type,
    // Copies, so that a caller mutating its objects later cannot make the returned events
    // disagree with what was hashed and stored.
    actor: structuredClone(event.actor),
    subject: structuredClone(event.subject),
    payload: structuredClone(event.payload),
  };
}

function insertStatement(from: string, events: readonly AuditEvent[], companion?: AppendOptions["companion"]): { text: string; values: unknown[] } {
  const values: unknown[] = [...(companion?.values ?? [])];
  const tuples = events.map((event) => {
    const base = values.length;
    values.push(
      String(event.seq),
      event.id,
      event.occurredAt.toISOString(),
      event.type,
      JSON.stringify(event.actor),
      JSON.stringify(event.subject),
      JSON.stringify(event.payload),
      event.prevHash,
      event.hash,
    );
    const p = (offset: number): string => `$${base + offset}`;
    return `(${p(1)}::bigint, ${p(2)}::uuid, ${p(3)}::timestamptz, ${p(4)}, ${p(5)}::jsonb, ${p(6)}::jsonb, ${p(7)}::jsonb, ${p(8)}, ${p(9)})`;
  });
  const insert = `INSERT INTO ${from} (seq, id, occurred_at, type, actor, subject, payload, prev_hash, hash) VALUES ${tuples.join(", ")}`;
  return { text: companion ? `WITH companion AS (${companion.text}) ${insert}` : insert, values };
}
