import { closePool, createTestDatabase } from "@brandpool/postgres/testing";
import type { TestDatabase } from "@brandpool/postgres/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvents } from "./append-audit-events.js";
import { hashAuditEvent } from "./audit-chain.hash.js";
import { auditTableSql } from "./audit-table.sql.js";
import type { AuditEvent } from "./audit-chain.types.js";
import { verifyAuditTable } from "./verify-audit-table.js";

let db: TestDatabase;
let pool: pg.Pool;
let tables = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
});

afterAll(async () => {
  if (pool) await closePool(pool);
  await db?.drop();
});


/** A table holding a chain of `count` events. */
async function chain(count: number): Promise<{ table: string; events: AuditEvent[] }> {
  tables += 1;
  const table = `audit_verify_${tables}`;
  await pool.query(auditTableSql(table));
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const events = await appendAuditEvents(
      client,
      table,
      Array.from({ length: count }, (_, i) => ({
        type: "request.decided",
        actor: { kind: "approver", brandId: "teabar" },
        subject: { requestId: `r-${i + 1}` },
        payload: { decision: "APPROVED", cap: 1000 + i, ratio: 0.5 },
      })),
    );
    await client.query("COMMIT");
    return { table, events };
  } finally {
    client.release();
  }
}

function at(events: AuditEvent[], seq: number): AuditEvent {
  const event = events[seq - 1];
  if (!event) throw new Error(`no event ${seq}`);
  return event;
}

/** Every row, as text, for before/after comparisons. */
async function snapshot(table: string): Promise<unknown[]> {
  return (await pool.query(`SELECT t::text AS row FROM ${table} AS t ORDER BY seq`)).rows;
}

/** Runs SQL as the superuser with the append-only triggers switched off for this transaction. */
async function bypassingGuard(sql: string, values: unknown[] = []): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query(sql, values);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

describe("the audit table", () => {
  it.each([
    ["UPDATE of one row", (t: string) => `UPDATE ${t} SET type = 'request.declined' WHERE seq = 2`],
    ["UPDATE of every row", (t: string) => `UPDATE ${t} SET payload = '{}'::jsonb`],
    ["DELETE of one row", (t: string) => `DELETE FROM ${t} WHERE seq = 3`],
    ["DELETE of every row", (t: string) => `DELETE FROM ${t}`],
    ["TRUNCATE", (t: string) => `TRUNCATE ${t}`],
  ])("refuses %s, even for the superuser, and nothing changes", async (_label, statement) => {
    const { table } = await chain(3);
    const before = await snapshot(table);
    await expect(pool.query(statement(table))).rejects.toMatchObject({
      code: "P0001",
      message: expect.stringMatching(/ on public\.audit_verify_\d+ is refused: the audit log is append-only$/),
    });
    expect(await snapshot(table)).toEqual(before);
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: true, checked: 3, firstBrokenEventId: null });
  });
});

describe("verifyAuditTable", () => {
  it("accepts an empty table", async () => {
    const { table } = await chain(0);
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: true, checked: 0, firstBrokenEventId: null });
  });

  it("names an event changed in SQL with session_replication_role = replica", async () => {
    const { table, events } = await chain(5);
    await bypassingGuard(`UPDATE ${table} SET payload = jsonb_set(payload, '{decision}', '"DECLINED"') WHERE seq = 3`);
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: false, checked: 3, firstBrokenEventId: at(events, 3).id });
  });

  it("names an event whose time was moved with the trigger disabled", async () => {
    const { table, events } = await chain(5);
    await pool.query(`ALTER TABLE ${table} DISABLE TRIGGER refuse_update_delete`);
    try {
      await pool.query(`UPDATE ${table} SET occurred_at = occurred_at - interval '1 millisecond' WHERE seq = 2`);
    } finally {
      await pool.query(`ALTER TABLE ${table} ENABLE TRIGGER refuse_update_delete`);
    }
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: false, checked: 2, firstBrokenEventId: at(events, 2).id });
  });

  it("names an event whose number was changed below double precision", async () => {
    const { table, events } = await chain(5);
    // Reads back as 0.5 in JavaScript, so only the exactness check can see it.
    await bypassingGuard(`UPDATE ${table} SET payload = jsonb_set(payload, '{ratio}', '0.50000000000000000001') WHERE seq = 4`);
    const { rows } = await pool.query<{ payload: { ratio: number } }>(`SELECT payload FROM ${table} WHERE seq = 4`);
    expect(rows[0]?.payload.ratio).toBe(0.5);
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: false, checked: 4, firstBrokenEventId: at(events, 4).id });
  });

  it("names the event after a deleted middle row", async () => {
    const { table, events } = await chain(5);
    await bypassingGuard(`DELETE FROM ${table} WHERE seq = 3`);
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: false, checked: 3, firstBrokenEventId: at(events, 4).id });
  });

  it("names the next event when a changed event's own hash was recomputed", async () => {
    const { table, events } = await chain(5);
    const third = at(events, 3);
    const payload = { ...third.payload, cap: 999_999 };
    await bypassingGuard(`UPDATE ${table} SET payload = $1::jsonb, hash = $2 WHERE seq = 3`, [
      JSON.stringify(payload),
      hashAuditEvent({ ...third, payload }, third.prevHash),
    ]);
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: false, checked: 4, firstBrokenEventId: at(events, 4).id });
  });

  it("names an event inserted at the tail without going through the appender", async () => {
    const { table, events } = await chain(3);
    const forgedId = "11111111-2222-4333-8444-555555555555";
    await pool.query(
      `INSERT INTO ${table} (seq, id, occurred_at, type, actor, subject, payload, prev_hash, hash)
       VALUES (4, $1, now()::timestamp(3), 'request.decided', '{}', '{}', '{}', $2, $2)`,
      [forgedId, at(events, 3).hash],
    );
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: false, checked: 4, firstBrokenEventId: forgedId });
  });

  it("reads past its 1,000-row pages and names a break on a later page", async () => {
    const { table, events } = await chain(2500);
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: true, checked: 2500, firstBrokenEventId: null });
    await bypassingGuard(`UPDATE ${table} SET type = 'forged' WHERE seq = 1700`);
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: false, checked: 1700, firstBrokenEventId: at(events, 1700).id });
  });

  it("works on a single client as well as on a pool", async () => {
    const { table } = await chain(3);
    const client = await pool.connect();
    try {
      expect(await verifyAuditTable(client, table)).toEqual({ ok: true, checked: 3, firstBrokenEventId: null });
    } finally {
      client.release();
    }
  });
});
