import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvents } from "@brandpool/audit-chain";
import { closePool, createTestDatabase } from "@brandpool/postgres/testing";
import type { TestDatabase } from "@brandpool/postgres/testing";
import { AUDIT_TABLE } from "../audit/node-audit.service.js";
import { withTransaction } from "../db/transaction.js";
import { deliveredRequest } from "./delivered-outreach-request.fixture.js";
import { receiveOutreachRequest } from "./receive-outreach-request.js";
import { setTargetStatus } from "./target-status.js";
import type { TargetStatus } from "../db/incoming-request.table.js";

// The node's log as NodeAudit writes it, without the outbox to the coordinator.
const audit = {
  record: async (tx: Parameters<typeof receiveOutreachRequest>[0], event: Parameters<Parameters<typeof receiveOutreachRequest>[1]["record"]>[1]) => {
    await appendAuditEvents(tx.client, AUDIT_TABLE, [event]);
  },
};

describe("receiveOutreachRequest against PostgreSQL", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const receive = (input: unknown) => withTransaction(pool, (tx) => receiveOutreachRequest(tx, audit, "teabar", input));
  const copies = async () =>
    (await pool.query<{ request_id: string; version: number; status: string; content_hash: string }>("SELECT request_id, version, status, content_hash FROM incoming_requests ORDER BY request_id")).rows;
  const events = async () =>
    (await pool.query<{ type: string; payload: Record<string, unknown> }>(`SELECT type, payload FROM ${AUDIT_TABLE} WHERE type LIKE 'outreach.%' ORDER BY seq`)).rows;

  beforeAll(async () => {
    db = await createTestDatabase({ template: "brand" });
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
  });
  afterAll(async () => {
    await closePool(pool);
    await db.drop();
  });

  it("stores a delivery once however often it arrives, with one outreach.received event and no message text", async () => {
    const delivery = deliveredRequest();
    expect(await receive(delivery)).toBe("STORED");
    expect(await receive(delivery)).toBe("UNCHANGED");
    expect(await Promise.all([receive(delivery), receive(delivery)])).toEqual(["UNCHANGED", "UNCHANGED"]);
    expect(await copies()).toEqual([{ request_id: delivery.requestId, version: 1, status: "PENDING", content_hash: delivery.contentHash }]);
    const logged = await events();
    expect(logged.map((event) => event.type)).toEqual(["outreach.received"]);
    expect(JSON.stringify(logged)).not.toContain("coupon");
  });

  it("marks the copy CANCELLED on a later cancelling version, once, and ignores older versions after", async () => {
    const delivery = deliveredRequest();
    expect(await receive({ ...delivery, version: 2, status: "CANCELLED" })).toBe("CANCELLED");
    expect(await receive({ ...delivery, version: 2, status: "CANCELLED" })).toBe("UNCHANGED");
    expect(await receive({ ...delivery, version: 1, status: "PENDING" })).toBe("UNCHANGED");
    expect(await copies()).toEqual([{ request_id: delivery.requestId, version: 2, status: "CANCELLED", content_hash: delivery.contentHash }]);
    expect((await events()).map((event) => event.type)).toEqual(["outreach.received", "outreach.cancelled"]);
  });

  it("cancels a copy APPROVED but not yet sending; once SENDING, a cancellation changes nothing", async () => {
    const move = (requestId: string, from: TargetStatus, to: TargetStatus) =>
      withTransaction(pool, (tx) => setTargetStatus(tx, audit, { requestId, from: [from], to, actor: { kind: "test" } }));
    const approved = deliveredRequest({ requestId: "7d2e3f4a-5b6c-4d7e-8f80-91a2b3c4d5e6" });
    expect(await receive(approved)).toBe("STORED");
    expect(await move(approved.requestId, "PENDING", "APPROVED")).toBe(true);
    expect(await receive({ ...approved, version: 2, status: "CANCELLED" })).toBe("CANCELLED");
    expect((await copies()).find((copy) => copy.request_id === approved.requestId)).toMatchObject({ version: 2, status: "CANCELLED" });

    const sending = deliveredRequest({ requestId: "8e3f4a5b-6c7d-4e8f-8091-a2b3c4d5e6f7" });
    expect(await receive(sending)).toBe("STORED");
    expect(await move(sending.requestId, "PENDING", "APPROVED")).toBe(true);
    expect(await move(sending.requestId, "APPROVED", "SENDING")).toBe(true);
    const before = { copies: await copies(), events: await events() };
    expect(await receive({ ...sending, version: 2, status: "CANCELLED" })).toBe("UNCHANGED");
    expect({ copies: await copies(), events: await events() }).toEqual(before);
    expect(before.copies.find((copy) => copy.request_id === sending.requestId)).toMatchObject({ version: 1, status: "SENDING" });
  });

  it("refuses a tampered delivery and stores nothing of it", async () => {
    const before = { copies: await copies(), events: await events() };
    const tampered = { ...deliveredRequest({ requestId: "6c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5" }), message: "Pieshop: everything free at {{coupon}}" };
    await expect(receive(tampered)).rejects.toMatchObject({ code: "BAD_INPUT", details: { reason: "HASH_MISMATCH" } });
    expect({ copies: await copies(), events: await events() }).toEqual(before);
  });

  it("refuses a delivery whose id is held with other content", async () => {
    const before = { copies: await copies(), events: await events() };
    const other = deliveredRequest({}, { purpose: "another purpose" });
    await expect(receive({ ...other, version: 3 })).rejects.toMatchObject({ code: "CONFLICT" });
    expect({ copies: await copies(), events: await events() }).toEqual(before);
  });
});
