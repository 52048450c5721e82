import { closePool, createTestDatabase } from "@brandpool/postgres/testing";
import type { TestDatabase } from "@brandpool/postgres/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvents } from "./append-audit-events.js";
import { checkAuditHeads, readAuditHead } from "./audit-heads.js";
import { auditTableSql } from "./audit-table.sql.js";
import type { NewAuditEvent } from "./audit-chain.types.js";
import { exportAuditLog, exportAuditLogPage } from "./export-audit-log.js";
import { encodeAuditCursor, listAuditEvents } from "./list-audit-events.js";

const TABLE = "audit_list";
const user = (brand: string) => ({ kind: "user", subject: `${brand}-analyst`, role: "analyst", brand });
const REQUEST = "5b0c6f1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e";

// One of each shape the logs hold: who acted on whom, from the coordinator's and the nodes' writers.
const EVENTS: NewAuditEvent[] = [
  { type: "brand.registered", actor: { kind: "user", subject: "admin", role: "platform-admin", brand: null }, subject: { kind: "brand", brand: "teabar" }, payload: {} },
  { type: "outreach.requested", actor: user("pieshop"), subject: { kind: "outreach-request", id: REQUEST }, payload: { requester: "pieshop", targets: ["stylehub", "teabar"] } },
  { type: "node.estimate.answered", actor: { kind: "node", brand: "teabar" }, subject: { kind: "brand", brand: "teabar" }, payload: { actor: user("stylehub"), owner: "teabar", question: "v2|q" } },
  { type: "outreach.delivered", actor: { kind: "node", brand: "stylehub" }, subject: { kind: "outreach-request", id: REQUEST }, payload: { target: "stylehub", version: 1 } },
  { type: "policy.denied", actor: user("teabar"), subject: { kind: "platform" }, payload: { action: "ReadAuditEvents" } },
];

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await pool.query(auditTableSql(TABLE));
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await appendAuditEvents(client, TABLE, EVENTS);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
});

afterAll(async () => {
  if (pool) await closePool(pool);
  await db?.drop();
});

const summary = async (options: Parameters<typeof listAuditEvents>[2]) =>
  (await listAuditEvents(pool, TABLE, options)).edges.map(({ node }) => [node.sequence, node.action, node.actorBrandId, node.targetBrandId, node.targetBrandIds, node.objectId]);

describe("listAuditEvents", () => {
  it("gives the platform auditor every event in chain order, with who acted on whom", async () => {
    expect(await summary({ visibleTo: null, first: 100 })).toEqual([
      [1, "brand.registered", null, "teabar", ["teabar"], null],
      [2, "outreach.requested", "pieshop", null, ["stylehub", "teabar"], REQUEST],
      [3, "node.estimate.answered", "stylehub", "teabar", ["teabar"], "v2|q"],
      [4, "outreach.delivered", "stylehub", "stylehub", ["stylehub"], REQUEST],
      [5, "policy.denied", "teabar", null, [], null],
    ]);
  });

  it("gives a brand's auditor the events of its brand on either side, a target seeing only itself among the targets", async () => {
    expect(await summary({ visibleTo: "pieshop" })).toEqual([[2, "outreach.requested", "pieshop", null, ["stylehub", "teabar"], REQUEST]]);
    expect(await summary({ visibleTo: "teabar" })).toEqual([
      [1, "brand.registered", null, "teabar", ["teabar"], null],
      [2, "outreach.requested", "pieshop", "teabar", ["teabar"], REQUEST],
      [3, "node.estimate.answered", "stylehub", "teabar", ["teabar"], "v2|q"],
      [5, "policy.denied", "teabar", null, [], null],
    ]);
    expect((await summary({ visibleTo: "stylehub" })).map((row) => row[0])).toEqual([2, 3, 4]);
    expect(await summary({ visibleTo: "nobody" })).toEqual([]);
  });

  it("filters by action and by brand, within what the caller sees", async () => {
    expect((await summary({ visibleTo: null, action: "outreach.delivered" })).map((row) => row[0])).toEqual([4]);
    expect((await summary({ visibleTo: null, brandId: "pieshop" })).map((row) => row[0])).toEqual([2]);
    expect((await summary({ visibleTo: "teabar", brandId: "stylehub" })).map((row) => row[0])).toEqual([2, 3]);
  });

  it("pages by cursor, and refuses a bad cursor, page size or filter with a typed error", async () => {
    const first = await listAuditEvents(pool, TABLE, { visibleTo: null, first: 2 });
    expect(first.hasNextPage).toBe(true);
    const second = await listAuditEvents(pool, TABLE, { visibleTo: null, first: 2, after: first.edges.at(-1)?.cursor });
    expect(second.edges.map((edge) => edge.node.sequence)).toEqual([3, 4]);
    expect(second.hasPreviousPage).toBe(true);
    const last = await listAuditEvents(pool, TABLE, { visibleTo: null, first: 2, after: encodeAuditCursor(4) });
    expect([last.edges.length, last.hasNextPage]).toEqual([1, false]);
    const refused = async (options: Partial<Parameters<typeof listAuditEvents>[2]>) =>
      listAuditEvents(pool, TABLE, { visibleTo: null, ...options }).then(
        () => "accepted",
        (error: { code?: string }) => error.code,
      );
    expect(await refused({ after: Buffer.from("a:0").toString("base64url") })).toBe("BAD_INPUT");
    expect(await refused({ after: Buffer.from("a:1 OR 1=1").toString("base64url") })).toBe("BAD_INPUT");
    expect(await refused({ first: 0 })).toBe("BAD_INPUT");
    expect(await refused({ first: 1.5 })).toBe("BAD_INPUT");
    expect(await refused({ first: 101 })).toBe("LIMIT_EXCEEDED");
    expect(await refused({ action: "x'; DROP TABLE audit_list; --" })).toBe("BAD_INPUT");
    expect(await refused({ brandId: "'" })).toBe("BAD_INPUT");
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${TABLE}`)).rows[0]?.n).toBe(EVENTS.length);
  });
});

describe("export pages and heads", () => {
  it("pages the export so that the pages concatenated are the whole export", async () => {
    const whole: string[] = [];
    for await (const line of exportAuditLog(pool, TABLE)) whole.push(line);
    const first = await exportAuditLogPage(pool, TABLE, 0, 3);
    const rest = await exportAuditLogPage(pool, TABLE, first.lastSeq ?? 0, 1000);
    expect([...first.lines, ...rest.lines]).toEqual(whole);
    expect(await exportAuditLogPage(pool, TABLE, 5, 10)).toEqual({ lines: [], lastSeq: null });
    await expect(exportAuditLogPage(pool, TABLE, -1, 10)).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(exportAuditLogPage(pool, TABLE, 0, 1001)).rejects.toMatchObject({ code: "BAD_INPUT" });
  });

  it("checks a stored chain against heads recorded elsewhere", async () => {
    const head = await readAuditHead(pool, TABLE);
    expect(head?.seq).toBe(EVENTS.length);
    if (!head) return;
    expect(await checkAuditHeads(pool, TABLE, [head])).toEqual({ headsChecked: 1, firstBrokenEventId: null, contradictedHeadSeq: null });
    expect(await checkAuditHeads(pool, TABLE, [{ ...head, hash: "0".repeat(64) }])).toEqual({ headsChecked: 1, firstBrokenEventId: head.eventId, contradictedHeadSeq: head.seq });
    const beyond = { seq: head.seq + 1, hash: "1".repeat(64), eventId: "00000000-0000-4000-8000-000000000009" };
    expect(await checkAuditHeads(pool, TABLE, [head, beyond])).toEqual({ headsChecked: 2, firstBrokenEventId: beyond.eventId, contradictedHeadSeq: beyond.seq });
  });
});
