import type pg from "pg";
import type { MemberBatch } from "./audience-bitmaps.js";

/**
 * A snapshot as the index keeps it (`pg_snapshot`'s text `xmin:xmax:xip,...`): transactions
 * below `xmax` and not in `xip` had ended when it was taken, so their changes are in the state
 * read in it; those in `xip` and from `xmax` on are not.
 */
export interface SnapshotPosition {
  xmin: number;
  xmax: number;
  xip: number[];
}

export function parseSnapshot(text: string): SnapshotPosition {
  const [xmin, xmax, xip] = text.split(":");
  return { xmin: Number(xmin), xmax: Number(xmax), xip: xip ? xip.split(",").map(Number) : [] };
}

/** Members per keyset batch of the load: four bitmap containers' worth of positions. */
const LOAD_BATCH = 4 * 65_536;

const BATCH_COLUMNS = `
  coalesce((SELECT array_agg(seq) FROM rows), '{}') AS present,
  coalesce((SELECT array_agg(seq) FROM rows WHERE consent_sms), '{}') AS sms,
  coalesce((SELECT array_agg(seq) FROM rows WHERE consent_email), '{}') AS email,
  coalesce((SELECT array_agg(seq) FROM rows WHERE consent_mail), '{}') AS mail,
  (SELECT coalesce(array_agg(tag ORDER BY tag, seq), '{}') FROM rows, unnest(tag_ids) AS tag) AS tags,
  (SELECT coalesce(array_agg(seq ORDER BY tag, seq), '{}') FROM rows, unnest(tag_ids) AS tag) AS tag_seqs`;

interface BatchRow {
  present: number[];
  sms: number[];
  email: number[];
  mail: number[];
  tags: number[];
  tag_seqs: number[];
}

function toBatch(row: BatchRow, changed: readonly number[]): MemberBatch {
  const tags = new Map<number, number[]>();
  for (let i = 0; i < row.tags.length; i++) {
    const id = row.tags[i] as number;
    let positions = tags.get(id);
    if (!positions) tags.set(id, (positions = []));
    positions.push(row.tag_seqs[i] as number);
  }
  return { changed, present: row.present, consent: { SMS: row.sms, EMAIL: row.email, MAIL: row.mail }, tags };
}

/**
 * Reads every member in keyset batches of positions inside one REPEATABLE READ transaction, so
 * the whole load is one snapshot however long it takes; returns that snapshot. A batch is one row
 * of three texts (positions, consent flags, every member's tag array end to end), parsed here
 * without a JavaScript object per member: sorting or grouping by tag in Postgres spilled to disk
 * and took ten times longer.
 */
export async function loadMembers(pool: pg.Pool, onBatch: (batch: MemberBatch) => void): Promise<SnapshotPosition> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const first = await client.query<{ snapshot: string; last: number }>(
      "SELECT pg_current_snapshot()::text AS snapshot, coalesce(max(seq), 0) AS last FROM members",
    );
    const { snapshot, last } = first.rows[0] as { snapshot: string; last: number };
    for (let after = 0; after < last; after += LOAD_BATCH) {
      const result = await client.query<{ seqs: string | null; consents: string | null; tags: string | null }>(
        // No ORDER BY: the three aggregates of one scan see its rows in the same order, which is
        // all the parse needs (an ordered aggregate sorts, and that sort spilled to disk).
        `SELECT array_agg(seq)::text AS seqs,
                array_agg(consent_sms::int + 2 * consent_email::int + 4 * consent_mail::int)::text AS consents,
                string_agg(tag_ids::text, '') AS tags
         FROM members WHERE seq > $1 AND seq <= $2`,
        [after, after + LOAD_BATCH],
      );
      const row = result.rows[0];
      if (row?.seqs) onBatch(parseLoadBatch(row.seqs, row.consents ?? "", row.tags ?? ""));
    }
    await client.query("COMMIT");
    return parseSnapshot(snapshot);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Calls `each` with every unsigned integer in `text` and the number of `{` seen before it. */
function scanIntegers(text: string, each: (value: number, group: number) => void): void {
  let value = 0;
  let digits = false;
  let group = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      value = value * 10 + code - 48;
      digits = true;
      continue;
    }
    if (digits) each(value, group);
    value = 0;
    digits = false;
    if (code === 123) group++;
  }
  if (digits) each(value, group);
}

export function parseLoadBatch(seqsText: string, consentsText: string, tagsText: string): MemberBatch {
  const present: number[] = [];
  scanIntegers(seqsText, (seq) => present.push(seq));
  const consent = { SMS: [] as number[], EMAIL: [] as number[], MAIL: [] as number[] };
  let member = 0;
  scanIntegers(consentsText, (flags) => {
    const seq = present[member++] as number;
    if (flags & 1) consent.SMS.push(seq);
    if (flags & 2) consent.EMAIL.push(seq);
    if (flags & 4) consent.MAIL.push(seq);
  });
  const tags = new Map<number, number[]>();
  // One `{...}` per member in seq order, so the group number is the member's index.
  scanIntegers(tagsText, (id, group) => {
    let positions = tags.get(id);
    if (!positions) tags.set(id, (positions = []));
    positions.push(present[group] as number);
  });
  return { changed: [], present, consent, tags };
}

export interface Changes {
  snapshot: SnapshotPosition;
  /** Change rows below this may have been pruned (member_changes_horizon). */
  horizon: number;
  batch: MemberBatch;
}

/**
 * In ONE statement (one snapshot): the current snapshot, and the current rows of the members
 * changed by every transaction that had not ended at `since` and has committed by now. Those are
 * the transactions in `since.xip`, and from `since.xmax` on; the scan of the latter skips the
 * transactions still running now, so a long import in progress is not read again and again, and
 * one long-open transaction does not make every catch-up re-read what committed after it began.
 * With nothing changed it reads a few index entries.
 */
export async function readChanges(pool: pg.Pool, since: SnapshotPosition): Promise<Changes> {
  const result = await pool.query<BatchRow & { snapshot: string; horizon: number; changed: number[] }>({
    // Prepared once per connection: planning this statement takes several times its execution.
    name: "audience-index-changes",
    text: `WITH cur AS MATERIALIZED (
       SELECT pg_current_snapshot() AS s
     ), running AS MATERIALIZED (
       SELECT (x::text)::bigint AS x FROM cur, pg_snapshot_xip(cur.s) AS x
     ), points AS (
       SELECT $1::bigint - 1 AS x
       UNION ALL
       SELECT x FROM running WHERE x >= $1::bigint
     ), gaps AS MATERIALIZED (
       SELECT lo, hi FROM (
         SELECT x + 1 AS lo, lead(x, 1, (SELECT (pg_snapshot_xmax(s)::text)::bigint FROM cur)) OVER (ORDER BY x) AS hi FROM points
       ) AS bounds
       WHERE lo < hi
     ), ended AS MATERIALIZED (
       SELECT unnest($2::bigint[]) AS x
       EXCEPT
       SELECT x FROM running
     ), changed AS MATERIALIZED (
       SELECT c.seq FROM gaps CROSS JOIN LATERAL (
         SELECT seq FROM member_changes WHERE xid >= gaps.lo AND xid < gaps.hi
       ) AS c
       UNION
       SELECT seq FROM member_changes WHERE xid = ANY (ARRAY(SELECT x FROM ended))
     ), rows AS MATERIALIZED (
       -- An array, not a join: the generic plan cannot know how many changed, and planned while
       -- member_changes held an import's million rows, a join read every member (380 ms a count).
       SELECT m.seq, m.tag_ids, m.consent_sms, m.consent_email, m.consent_mail FROM members AS m WHERE m.seq = ANY (ARRAY(SELECT seq FROM changed))
     )
     SELECT (SELECT s::text FROM cur) AS snapshot,
       (SELECT below FROM member_changes_horizon) AS horizon,
       coalesce((SELECT array_agg(seq) FROM changed), '{}') AS changed,
       ${BATCH_COLUMNS}`,
    values: [since.xmax, since.xip],
  });
  const row = result.rows[0] as BatchRow & { snapshot: string; horizon: string | number; changed: number[] };
  return { snapshot: parseSnapshot(row.snapshot), horizon: Number(row.horizon ?? 0), batch: toBatch(row, row.changed) };
}

/**
 * Deletes change rows of transactions below `below` (everything the caller has applied) and
 * records that, so that an index still needing them reloads instead of missing a change.
 */
export async function pruneChanges(pool: pg.Pool, below: number | null): Promise<number> {
  // Without a position (no index in this process reads the log): below every transaction that
  // may still commit, which is all a later load needs.
  const result = await pool.query(
    `WITH bound AS (SELECT coalesce($1::bigint, (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint) AS below),
     horizon AS (UPDATE member_changes_horizon SET below = greatest(member_changes_horizon.below, bound.below) FROM bound RETURNING 1)
     DELETE FROM member_changes USING bound WHERE xid < bound.below`,
    [below],
  );
  return result.rowCount ?? 0;
}
