import { closePool, createTestDatabase } from "@brandpool/postgres/testing";
import type { TestDatabase } from "@brandpool/postgres/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvent } from "./append-audit-event.js";
import { withTransaction } from "@brandpool/postgres";
import { GENESIS_HASH } from "./audit-chain.hash.js";
import { appendAuditEvents, auditTailOf, lockAuditTailSql } from "./append-audit-events.js";
import { auditTableSql } from "./audit-table.sql.js";
import type { AuditEvent, JsonObject, NewAuditEvent } from "./audit-chain.types.js";
import { verifyAuditEvents } from "./verify-audit-events.js";
import { verifyAuditTable } from "./verify-audit-table.js";

let db: TestDatabase;
let pool: pg.Pool;
let tables = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 5 });
});

afterAll(async () => {
  if (pool) await closePool(pool);
  await db?.drop();
});


async function freshTable(): Promise<string> {
  tables += 1;
  const table = `audit_append_${tables}`;
  await pool.query(auditTableSql(table));
  return table;
}

function newEvent(n: number): NewAuditEvent {
  return {
    type: "estimate.answered",
    actor: { kind: "brand", brandId: "pieshop" },
    subject: { brandId: "teabar" },
    payload: { n, released: 1200 + n },
  };
}

async function seqs(table: string): Promise<number[]> {
  const { rows } = await pool.query<{ seq: string }>(`SELECT e.seq::text AS seq FROM ${table} AS e ORDER BY e.seq`);
  return rows.map((row) => Number(row.seq));
}

function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

async function inTransaction<T>(run: (client: pg.PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await run(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

describe("appendAuditEvents", () => {
  it("gives 20 concurrent appends from separate connections a gapless, valid chain", async () => {
    const table = await freshTable();
    const clients = Array.from({ length: 20 }, () => new pg.Client({ connectionString: db.url }));
    await Promise.all(clients.map((client) => client.connect()));
    try {
      // Every transaction is open before any appends, and each holds the lock a little while
      // before committing, so the appends really contend.
      await Promise.all(clients.map((client) => client.query("BEGIN")));
      const appended = await Promise.all(
        clients.map(async (client, i) => {
          const [event] = await appendAuditEvents(client, table, [newEvent(i)]);
          await client.query("SELECT pg_sleep(0.01)");
          await client.query("COMMIT");
          return event as AuditEvent;
        }),
      );
      expect(appended.map((event) => event.seq).sort((a, b) => a - b)).toEqual(oneTo(20));
      expect(new Set(appended.map((event) => event.id)).size).toBe(20);
      expect(await seqs(table)).toEqual(oneTo(20));
      expect(await verifyAuditTable(pool, table)).toEqual({ ok: true, checked: 20, firstBrokenEventId: null });
      // What each caller got back is exactly what was stored.
      expect(verifyAuditEvents(appended.sort((a, b) => a.seq - b.seq))).toEqual({ ok: true, checked: 20, firstBrokenEventId: null });
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it("gives 20 concurrent appendAuditEvent calls through a pool a gapless chain", async () => {
    const table = await freshTable();
    const appended = await Promise.all(oneTo(20).map((n) => appendAuditEvent(pool, table, newEvent(n))));
    expect(appended.map((event) => event.seq).sort((a, b) => a - b)).toEqual(oneTo(20));
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: true, checked: 20, firstBrokenEventId: null });
  });

  it("leaves no gap when the caller's transaction rolls back", async () => {
    const table = await freshTable();
    await inTransaction((client) => appendAuditEvents(client, table, [newEvent(1), newEvent(2)]));
    await expect(
      inTransaction(async (client) => {
        await appendAuditEvents(client, table, [newEvent(3)]);
        throw new Error("the business write failed");
      }),
    ).rejects.toThrow("the business write failed");
    const [next] = await inTransaction((client) => appendAuditEvents(client, table, [newEvent(4)]));
    expect(next?.seq).toBe(3);
    expect(await seqs(table)).toEqual([1, 2, 3]);
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: true, checked: 3, firstBrokenEventId: null });
  });

  it("appends a batch in order, across several INSERT statements", async () => {
    const table = await freshTable();
    const batch = oneTo(2500).map(newEvent);
    const appended = await inTransaction((client) => appendAuditEvents(client, table, batch));
    expect(appended.map((event) => event.seq)).toEqual(oneTo(2500));
    expect(appended.map((event) => event.payload.n)).toEqual(oneTo(2500));
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: true, checked: 2500, firstBrokenEventId: null });
  });

  it("refuses to append outside a transaction, and writes nothing", async () => {
    const table = await freshTable();
    const client = await pool.connect();
    try {
      await expect(appendAuditEvents(client, table, [newEvent(1)])).rejects.toThrow(/only be used in transaction blocks/);
    } finally {
      client.release();
    }
    expect(await seqs(table)).toEqual([]);
  });

  it("refuses to append under REPEATABLE READ, and writes nothing", async () => {
    const table = await freshTable();
    await expect(
      inTransaction((client) => appendAuditEvents(client, table, [newEvent(1)]), "BEGIN ISOLATION LEVEL REPEATABLE READ"),
    ).rejects.toThrow(/READ COMMITTED/);
    expect(await seqs(table)).toEqual([]);
  });

  it("refuses input that would not survive storage, and writes nothing", async () => {
    const table = await freshTable();
    const bad: NewAuditEvent[] = [
      { ...newEvent(1), payload: { ratio: Number.NaN } },
      { ...newEvent(1), payload: { id: 2 ** 62 } },
      { ...newEvent(1), payload: { text: "nul\u0000" } },
      { ...newEvent(1), payload: { when: new Date() } as unknown as JsonObject },
      { ...newEvent(1), type: "" },
      { ...newEvent(1), id: "not-a-uuid" },
      { ...newEvent(1), occurredAt: new Date(Number.NaN) },
    ];
    for (const event of bad) {
      await expect(inTransaction((client) => appendAuditEvents(client, table, [newEvent(0), event]))).rejects.toThrow(Error);
    }
    expect(await seqs(table)).toEqual([]);
  });

  it("stores a given id in lower case and keeps the given time", async () => {
    const table = await freshTable();
    const occurredAt = new Date("2025-02-03T04:05:06.789Z");
    const [event] = await inTransaction((client) =>
      appendAuditEvents(client, table, [{ ...newEvent(1), id: "0F8FAD5B-D9CB-469F-A165-70867728950E", occurredAt }]),
    );
    expect(event).toMatchObject({ id: "0f8fad5b-d9cb-469f-a165-70867728950e", occurredAt });
    const { rows } = await pool.query<{ id: string; occurred_at: Date }>(`SELECT id, occurred_at FROM ${table}`);
    expect(rows).toEqual([{ id: "0f8fad5b-d9cb-469f-a165-70867728950e", occurred_at: occurredAt }]);
    expect(await verifyAuditTable(pool, table)).toMatchObject({ ok: true, checked: 1 });
  });
});

describe("appendAuditEvents with the tail locked at BEGIN and the COMMIT sent with the insert", () => {
  const lockedAtBegin = (table: string) => ({ begin: `BEGIN; ${lockAuditTailSql(table)}` });
  /** One append the short way: lock and tail in BEGIN, insert and COMMIT in one round trip. */
  const appendCommitting = (table: string, events: NewAuditEvent[], companion?: { text: string; values: unknown[] }, on: pg.Pool = pool) =>
    withTransaction(
      on,
      {},
      async (tx) => {
        const tail = auditTailOf(tx.begun.at(-1)?.rows ?? []);
        const appended = await appendAuditEvents(tx.client, table, events, { lockedTail: tail, commit: true, ...(companion ? { companion } : {}) });
        // The insert's own COMMIT ended the transaction.
        expect((tx.client as unknown as { getTransactionStatus(): string }).getTransactionStatus()).toBe("I");
        return appended;
      },
      lockedAtBegin(table),
    );

  it("gives 20 concurrent appends, half the short way and half the usual one, a gapless valid chain, each committed once", async () => {
    const table = await freshTable();
    const warnings: string[] = [];
    const results = await Promise.all(
      oneTo(20).map(async (n) => {
        if (n % 2 === 0) return (await appendCommitting(table, [newEvent(n)]))[0] as AuditEvent;
        return (await inTransaction((client) => appendAuditEvents(client, table, [newEvent(n)])))[0] as AuditEvent;
      }),
    );
    // A second COMMIT after the insert's own would be answered with a warning.
    const watched = new pg.Pool({ connectionString: db.url, max: 1 });
    watched.on("connect", (client) => client.on("notice", (notice) => warnings.push(notice.message ?? "")));
    try {
      await appendCommitting(table, [newEvent(21)], undefined, watched);
      await watched.query("COMMIT");
      // The watch works: a COMMIT with no transaction open is answered with that warning.
      expect(warnings).toEqual(["there is no transaction in progress"]);
      warnings.length = 0;
      await appendCommitting(table, [newEvent(22)], undefined, watched);
    } finally {
      await closePool(watched);
    }
    expect(results.map((event) => event.seq).sort((a, b) => a - b)).toEqual(oneTo(20));
    expect(await seqs(table)).toEqual(oneTo(22));
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: true, checked: 22, firstBrokenEventId: null });
    expect(warnings).toEqual([]);
  });

  it("stores inlined values exactly as hashed: quotes, backslashes, Chinese, emoji, a would-be second statement", async () => {
    const table = await freshTable();
    const payload: JsonObject = { note: "it's \\ 'quoted' \"twice\"", zh: "月饼礼盒 🎁", sql: "'); DELETE FROM members; --", n: 12.5, none: null };
    const [event] = await appendCommitting(table, [{ ...newEvent(1), payload }]);
    const { rows } = await pool.query<{ payload: JsonObject }>(`SELECT payload FROM ${table}`);
    expect(rows).toEqual([{ payload }]);
    expect(event?.payload).toEqual(payload);
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: true, checked: 1, firstBrokenEventId: null });
  });

  it("commits a companion with the events, and a failing companion rolls both back (bad input: a duplicate key in the companion)", async () => {
    const table = await freshTable();
    await pool.query(`CREATE TABLE ${table}_outbox (id uuid PRIMARY KEY, note text NOT NULL)`);
    const companion = (id: string, note: string) => ({ text: `INSERT INTO ${table}_outbox (id, note) VALUES ($1::uuid, $2)`, values: [id, note] });
    const id = "3b241101-e2bb-4255-8caf-4136c566a962";
    await appendCommitting(table, [newEvent(1)], companion(id, "first"));
    await expect(appendCommitting(table, [newEvent(2)], companion(id, "again"))).rejects.toThrow(/duplicate key/);
    expect(await seqs(table)).toEqual([1]);
    expect((await pool.query(`SELECT note FROM ${table}_outbox`)).rows).toEqual([{ note: "first" }]);
    // The pool's connections are usable after the failed one (no transaction left open).
    await appendCommitting(table, [newEvent(3)]);
    expect(await seqs(table)).toEqual([1, 2]);
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: true, checked: 2, firstBrokenEventId: null });
  });

  it("fails on the chain's unique seq with a tail read before the last append, and writes nothing (bad input: a stale tail)", async () => {
    const table = await freshTable();
    await appendCommitting(table, [newEvent(1)]);
    await expect(
      withTransaction(pool, {}, (tx) => appendAuditEvents(tx.client, table, [newEvent(2)], { lockedTail: { seq: 0, hash: GENESIS_HASH }, commit: true }), lockedAtBegin(table)),
    ).rejects.toThrow(/duplicate key/);
    expect(await seqs(table)).toEqual([1]);
  });

  it("commits a batch larger than one INSERT with the last of its statements", async () => {
    const table = await freshTable();
    const appended = await appendCommitting(table, oneTo(1500).map(newEvent));
    expect(appended.map((event) => event.seq)).toEqual(oneTo(1500));
    expect(await verifyAuditTable(pool, table)).toEqual({ ok: true, checked: 1500, firstBrokenEventId: null });
  });
});
