import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCouponCode } from "@brandpool/outreach-message";
import { closePool, createTestDatabase } from "@brandpool/postgres/testing";
import type { TestDatabase } from "@brandpool/postgres/testing";
import { withTransaction } from "../db/transaction.js";
import { selectRecipients, shuffled } from "./select-recipients.js";

const MEMBERS = 3_000;

/** Spearman's rank correlation of two equally long lists of distinct numbers. */
function rankCorrelation(a: readonly number[], b: readonly number[]): number {
  const ranks = (values: readonly number[]) => {
    const order = values.map((value, index) => [value, index] as const).sort((x, y) => x[0] - y[0]);
    const rank = new Array<number>(values.length);
    order.forEach(([, index], position) => (rank[index] = position));
    return rank;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const d2 = ra.reduce((sum, rank, i) => sum + (rank - (rb[i] as number)) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe("selectRecipients against PostgreSQL", () => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase({ template: "brand" });
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    await pool.query(
      `INSERT INTO members (external_id, name, phone, email, join_date, consent_sms, consent_email, tag_ids)
       SELECT 'm-' || g, '王小明', '+86190' || lpad(g::text, 8, '0'), CASE WHEN g % 10 = 0 THEN NULL ELSE 'm' || g || '@example.com' END,
              current_date, g % 7 <> 0, true, ARRAY[1]::int[]
       FROM generate_series(1, $1::int) AS g`,
      [MEMBERS],
    );
  });
  afterAll(async () => {
    await closePool(pool);
    await db.drop();
  });

  const select = (requestId: string, cap: number, channel: "SMS" | "EMAIL" = "SMS") =>
    withTransaction(pool, (tx) =>
      selectRecipients(tx, { requestId, channel, expression: sql`members.tag_ids @> ARRAY[1]`, cap, batchSize: 100, frequencyCap: 2, frequencyWindowDays: 30 }),
    );

  it("stores every eligible member once, with distinct codes and keys, in batches, and commits to the list in member order", async () => {
    const requestId = randomUUID();
    const result = await select(requestId, MEMBERS);
    // Eligible for SMS: consent_sms (g % 7 <> 0), with a phone (all).
    const expected = Array.from({ length: MEMBERS }, (_, i) => i + 1).filter((g) => g % 7 !== 0);
    expect(result.selected).toBe(expected.length);
    expect(result.batches).toBe(Math.ceil(expected.length / 100));
    const rows = (
      await pool.query<{ member_seq: number; coupon_code: string; message_key: string; batch: number; status: string }>(
        "SELECT r.member_seq, r.coupon_code, r.message_key::text AS message_key, r.batch, r.status FROM outreach_recipients r WHERE request_id = $1 ORDER BY member_seq",
        [requestId],
      )
    ).rows;
    const seqOf = new Map((await pool.query<{ seq: number; external_id: string }>("SELECT seq, external_id FROM members")).rows.map((row) => [row.external_id, row.seq]));
    expect(rows.map((row) => row.member_seq)).toEqual(expected.map((g) => seqOf.get(`m-${g}`)));
    expect(new Set(rows.map((row) => row.coupon_code)).size).toBe(rows.length);
    expect(new Set(rows.map((row) => row.message_key)).size).toBe(rows.length);
    for (const row of rows) expect(isCouponCode(row.coupon_code), row.coupon_code).toBe(true);
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(["QUEUED"]));
    const perBatch = new Map<number, number>();
    for (const row of rows) perBatch.set(row.batch, (perBatch.get(row.batch) ?? 0) + 1);
    expect([...perBatch.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: result.batches }, (_, i) => i));
    expect(Math.max(...perBatch.values())).toBe(100);
    const lines = rows.map((row) => `${row.member_seq}:${row.coupon_code}:${row.message_key}`).join("\n");
    expect(result.listHash).toBe(createHash("sha256").update(lines).digest("hex"));
  });

  it("hands codes out in an order unrelated to the members' order (a requester seeing codes learns nothing of who joined when)", async () => {
    // What could break it: codes (sorted for the index) given out in member order, so that a
    // code's place among the request's codes would tell the member's place among the owner's.
    const requestId = randomUUID();
    await select(requestId, MEMBERS, "EMAIL");
    const rows = (await pool.query<{ member_seq: number; coupon_code: string; batch: number }>("SELECT member_seq, coupon_code, batch FROM outreach_recipients WHERE request_id = $1", [requestId])).rows;
    const codeRank = new Map([...rows].sort((a, b) => (a.coupon_code < b.coupon_code ? -1 : 1)).map((row, index) => [row.member_seq, index]));
    const seqs = rows.map((row) => row.member_seq);
    const correlation = rankCorrelation(seqs, seqs.map((seq) => codeRank.get(seq) as number));
    // Independent orders: Spearman's rho has standard deviation 1/sqrt(n-1) ≈ 0.02 here; in
    // member order it would be 1.
    expect(Math.abs(correlation)).toBeLessThan(5 / Math.sqrt(rows.length - 1));
    // Nor do batches follow member order.
    expect(Math.abs(rankCorrelation(seqs.map((seq, i) => seq + i / 1e6), rows.map((row, i) => row.batch + i / 1e6)))).toBeLessThan(5 / Math.sqrt(rows.length - 1));
  });

  it("takes at most the cap, a different pick per request, and nobody beyond the frequency cap", async () => {
    // Members of their own (tag 2), selected by no earlier test.
    await pool.query(
      `INSERT INTO members (external_id, name, phone, join_date, consent_sms, tag_ids)
       SELECT 'f-' || g, '李娜', '+86191' || lpad(g::text, 8, '0'), current_date, true, ARRAY[2]::int[] FROM generate_series(1, 1000) AS g`,
    );
    const selectTag2 = (requestId: string, cap: number) =>
      withTransaction(pool, (tx) =>
        selectRecipients(tx, { requestId, channel: "SMS", expression: sql`members.tag_ids @> ARRAY[2]`, cap, batchSize: 100, frequencyCap: 2, frequencyWindowDays: 30 }),
      );
    const picked = async (id: string) => new Set((await pool.query<{ member_seq: number }>("SELECT member_seq FROM outreach_recipients WHERE request_id = $1", [id])).rows.map((row) => row.member_seq));
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    expect((await selectTag2(first, 500)).selected).toBe(500);
    expect((await selectTag2(second, 500)).selected).toBe(500);
    const a = await picked(first);
    const b = await picked(second);
    // Two independent picks of 500 of 1,000 share about 250; the same pick would share 500.
    expect([...a].filter((seq) => b.has(seq)).length).toBeLessThan(350);
    // Those in both have had 2 messages: a third request takes everyone else, and them not.
    const both = [...a].filter((seq) => b.has(seq));
    expect((await selectTag2(third, 1000)).selected).toBe(1000 - both.length);
    const c = await picked(third);
    for (const seq of both) expect(c.has(seq)).toBe(false);
  });

  it("selects nobody when nobody matches, with the hash of the empty list", async () => {
    const requestId = randomUUID();
    const result = await withTransaction(pool, (tx) =>
      selectRecipients(tx, { requestId, channel: "SMS", expression: sql`members.tag_ids @> ARRAY[999]`, cap: 10, batchSize: 100, frequencyCap: 2, frequencyWindowDays: 30 }),
    );
    expect(result).toEqual({ selected: 0, batches: 0, listHash: createHash("sha256").update("").digest("hex") });
  });
});

describe("shuffled", () => {
  it("is a permutation, and each position takes each value about equally often", () => {
    const n = 5;
    const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let trial = 0; trial < 20_000; trial += 1) {
      const order = shuffled(n);
      expect([...order].sort()).toEqual([0, 1, 2, 3, 4]);
      order.forEach((value, position) => {
        const row = counts[position] as number[];
        row[value] = (row[value] ?? 0) + 1;
      });
    }
    // Expected 4,000 each; 5 sigma is about 280.
    for (const row of counts) for (const count of row) expect(Math.abs(count - 4_000)).toBeLessThan(300);
    expect(shuffled(0)).toHaveLength(0);
  });
});
