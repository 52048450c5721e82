import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { closePool, createTestDatabase } from "@brandpool/postgres/testing";
import type { TestDatabase } from "@brandpool/postgres/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvents } from "./append-audit-events.js";
import { auditTableSql } from "./audit-table.sql.js";
import type { AuditEvent, JsonObject } from "./audit-chain.types.js";
import { exportAuditLog } from "./export-audit-log.js";

// The CLI as `npm run audit:verify` runs it (built by `npm test` before the tests).
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = "packages/audit-chain/dist/cli.js";

let db: TestDatabase;
let pool: pg.Pool;
let dir: string;
let tables = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  dir = await mkdtemp(join(tmpdir(), "audit-export-"));
});

afterAll(async () => {
  if (pool) await closePool(pool);
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});


async function chain(payloads: JsonObject[]): Promise<{ table: string; events: AuditEvent[] }> {
  tables += 1;
  const table = `audit_export_${tables}`;
  await pool.query(auditTableSql(table));
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const events = await appendAuditEvents(
      client,
      table,
      payloads.map((payload) => ({ type: "outreach.executed", actor: { brandId: "teabar" }, subject: { requestId: "r-1" }, payload })),
    );
    await client.query("COMMIT");
    return { table, events };
  } finally {
    client.release();
  }
}

async function exportToFile(table: string, name: string): Promise<string> {
  const file = join(dir, name);
  await pipeline(Readable.from(exportAuditLog(pool, table)), createWriteStream(file));
  return file;
}

function verifyOffline(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, file], { cwd: REPO_ROOT }, (error, stdout, stderr) => {
      resolve({ code: typeof error?.code === "number" ? error.code : error ? -1 : 0, stdout, stderr });
    });
  });
}

describe("exportAuditLog and the offline check", () => {
  it("exports every event as one JSON line, in seq order, with all fields", async () => {
    const { table, events } = await chain([
      { contacted: 1200, delivered: 1187, ratio: 0.1, tiny: 1e-7, negative: -42 },
      { note: "line\nbreak, tab\t, quote \" and \u2028", label: "回T退订", nested: { list: [1, [2, { deep: null }]] } },
      { empty: {}, flags: [true, false], max: Number.MAX_SAFE_INTEGER },
    ]);
    const text = await readFile(await exportToFile(table, "fields.jsonl"), "utf8");
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(3);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed).toEqual(events.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })));
    expect(Object.keys(parsed[0] ?? {})).toEqual(["seq", "id", "occurredAt", "type", "actor", "subject", "payload", "prevHash", "hash"]);
  });

  it("verifies a good export offline: ok and exit 0", async () => {
    const payloads = Array.from({ length: 1005 }, (_, i) => ({ contacted: i, ratio: i / 7 }));
    const { table } = await chain(payloads);
    const file = await exportToFile(table, "good.jsonl");
    expect(await verifyOffline(file)).toEqual({ code: 0, stdout: "ok: 1005 events\n", stderr: "" });
  });

  it("names the event tampered in the database: broken and exit 1", async () => {
    const { table, events } = await chain([{ contacted: 10 }, { contacted: 20 }, { contacted: 30 }, { contacted: 40 }]);
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query(`UPDATE ${table} SET payload = '{"contacted": 2000}' WHERE seq = 3`);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    const file = await exportToFile(table, "tampered.jsonl");
    expect(await verifyOffline(file)).toEqual({ code: 1, stdout: `broken at event ${events[2]?.id} (after 2 events)\n`, stderr: "" });
  });

  it("names an event whose stored number differs below double precision", async () => {
    const { table, events } = await chain([{ ratio: 0.5 }, { ratio: 0.25 }]);
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query(`UPDATE ${table} SET payload = '{"ratio": 0.250000000000000000001}' WHERE seq = 2`);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    const file = await exportToFile(table, "fine-number.jsonl");
    expect(await verifyOffline(file)).toMatchObject({ code: 1, stdout: `broken at event ${events[1]?.id} (after 1 events)\n` });
  });
});
