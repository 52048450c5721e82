import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvents } from "@brandpool/audit-chain";
import type { JsonObject } from "@brandpool/audit-chain";
import { newCouponCode } from "@brandpool/outreach-message";
import { closePool, createTestDatabase } from "@brandpool/postgres/testing";
import type { TestDatabase } from "@brandpool/postgres/testing";
import { AUDIT_TABLE } from "../audit/node-audit.service.js";
import type { CoordinatorEvent } from "../audit/node-audit.service.js";
import { withTransaction } from "../db/transaction.js";
import { releaseOutreachResults } from "./release-outreach-results.js";
import { OutreachResultsRepository } from "./outreach-results.repository.js";

const SETTINGS = { brandId: "teabar", secret: "teabar-node-secret-for-the-int-test-0123456789", threshold: 20 };
const HOUR = 3_600_000;

describe("releaseOutreachResults against PostgreSQL", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  // The owner's log as NodeAudit writes it; what would go to the coordinator is kept here.
  const forCoordinator: CoordinatorEvent[] = [];
  const audit = {
    record: async (tx: Parameters<typeof releaseOutreachResults>[0], event: { type: string; actor: JsonObject; subject: JsonObject; payload: JsonObject }, queued?: CoordinatorEvent) => {
      await appendAuditEvents(tx.client, AUDIT_TABLE, [event]);
      if (queued) forCoordinator.push(queued);
    },
  };
  const release = (requestId: string, at: Date) => withTransaction(pool, (tx) => releaseOutreachResults(tx, SETTINGS, audit, requestId, at));
  const releases = async (requestId: string) =>
    (await pool.query<{ n: number; epsilon: string }>("SELECT release_number AS n, epsilon::text FROM outreach_result_releases WHERE request_id = $1 ORDER BY 1", [requestId])).rows;

  /** A request sent to `recipients` members, with `reservation` reserved (null: none). */
  async function sentRequest(status: string, recipients: number, reservation: string | null): Promise<string> {
    const id = randomUUID();
    await pool.query(
      `INSERT INTO incoming_requests (request_id, version, requester_brand, expression, channel, message, purpose, max_recipients, send_after, expires_at, targets, content_hash, status)
       VALUES ($1, 1, 'pieshop', 'age:25-34', 'SMS', 'x {{coupon}}', 'p', 1000, now(), now() + interval '7 days', ARRAY['teabar'], $2, $3)`,
      [id, "0".repeat(64), status],
    );
    const codes = Array.from({ length: recipients }, () => newCouponCode());
    await pool.query(
      "INSERT INTO outreach_recipients (request_id, member_seq, batch, coupon_code, status) SELECT $1, s, 0, c, 'SENT' FROM unnest($2::text[]) WITH ORDINALITY AS u(c, s)",
      [id, codes],
    );
    if (reservation) await pool.query("INSERT INTO privacy_spend (requester_brand, period, question_key, epsilon) VALUES ('pieshop', '2026-12', $1, $2)", [`outreach-results:${id}`, reservation]);
    return id;
  }

  beforeAll(async () => {
    db = await createTestDatabase({ template: "brand" });
    pool = new pg.Pool({ connectionString: db.url, max: 6 });
  });
  afterAll(async () => {
    await closePool(pool);
    await db.drop();
  });

  it("releases once however many releasers race, and nothing more within the day", async () => {
    const id = await sentRequest("SENT", 120, "1.0");
    const now = new Date();
    const raced = await Promise.all(Array.from({ length: 5 }, () => release(id, now)));
    expect(raced.filter((result) => result !== null)).toHaveLength(1);
    expect(await release(id, new Date(now.getTime() + 23 * HOUR))).toBeNull();
    expect(await releases(id)).toEqual([{ n: 1, epsilon: "0.4" }]);
    expect(await release(id, new Date(now.getTime() + 25 * HOUR))).toMatchObject({ releaseNumber: 2 });
  });

  it("releases nothing before sending ended, nor without a reservation", async () => {
    for (const status of ["PENDING", "APPROVED", "SENDING", "DECLINED", "CANCELLED"]) expect(await release(await sentRequest(status, 30, "1.0"), new Date())).toBeNull();
    expect(await release(await sentRequest("SENT", 30, null), new Date())).toBeNull();
    expect(await release(randomUUID(), new Date())).toBeNull();
    // FAILED ended sending too: its figures go out.
    expect(await release(await sentRequest("FAILED", 30, "1.0"), new Date())).toMatchObject({ releaseNumber: 1 });
  });

  it("never releases beyond what the reservation covers", async () => {
    const id = await sentRequest("SENT", 50, "0.55");
    let at = Date.now();
    expect(await release(id, new Date(at))).not.toBeNull();
    at += 25 * HOUR;
    expect(await release(id, new Date(at))).not.toBeNull();
    at += 25 * HOUR;
    // 0.4 + 0.1 spent; another 0.1 would pass 0.55.
    expect(await release(id, new Date(at))).toBeNull();
    expect(await releases(id)).toEqual([
      { n: 1, epsilon: "0.4" },
      { n: 2, epsilon: "0.1" },
    ]);
  });

  it("sends the coordinator released figures and the commitment only, and finds the due requests", async () => {
    const id = await sentRequest("SENT", 40, "1.0");
    const due = await withTransaction(pool, (tx) => new OutreachResultsRepository(tx.db).due(7, 24, 1000));
    expect(due).toContain(id);
    forCoordinator.length = 0;
    await release(id, new Date());
    expect(forCoordinator).toHaveLength(1);
    expect(forCoordinator[0]?.type).toBe("outreach.results");
    expect(Object.keys(forCoordinator[0]?.payload ?? {}).sort()).toEqual(["commitment", "releaseNumber", "released", "requestId", "requester", "threshold"]);
    const owner = await pool.query<{ payload: { exact: Record<string, number> } }>(`SELECT payload FROM ${AUDIT_TABLE} WHERE payload->>'requestId' = $1`, [id]);
    expect(owner.rows[0]?.payload.exact).toEqual({ contacted: 40, delivered: 40, failed: 0, redeemed: 0 });
    expect(await withTransaction(pool, (tx) => new OutreachResultsRepository(tx.db).due(7, 24, 1000))).not.toContain(id);
  });
});
