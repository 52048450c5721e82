import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePool, createTestDatabase } from "@brandpool/postgres/testing";
import type { TestDatabase } from "@brandpool/postgres/testing";
import { withTransaction } from "../db/transaction.js";
import { STANDARD_BUDGETS } from "./budget-limits.js";
import { reserveOutreachResults } from "./reserve-outreach-results.js";

const SETTINGS = { timeZone: "Asia/Shanghai", budgets: STANDARD_BUDGETS };
const ids = ["0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3", "1b2c3d4e-5f6a-4b7c-8d8e-9fa0b1c2d3e4", "2c3d4e5f-6a7b-4c8d-9e9f-a0b1c2d3e4f5"];

describe("reserveOutreachResults against PostgreSQL", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const state = async () => ({
    quota: (await pool.query("SELECT requester_brand, epsilon_spent::text FROM privacy_quota_usage ORDER BY 1")).rows,
    pool: (await pool.query("SELECT epsilon_spent::text FROM privacy_pool_usage")).rows,
    spend: (await pool.query("SELECT requester_brand, question_key, epsilon::text FROM privacy_spend ORDER BY question_key")).rows,
  });

  beforeAll(async () => {
    db = await createTestDatabase({ template: "brand" });
    pool = new pg.Pool({ connectionString: db.url, max: 6 });
  });
  afterAll(async () => {
    await closePool(pool);
    await db.drop();
  });

  it("charges the pair's quota and the pool cap once per request, recorded under outreach-results:<id>", async () => {
    const reserved = await withTransaction(pool, (tx) => reserveOutreachResults(tx, SETTINGS, "pieshop", ids[0] as string));
    expect(reserved.epsilon).toBe("1");
    expect(await state()).toEqual({
      quota: [{ requester_brand: "pieshop", epsilon_spent: "1" }],
      pool: [{ epsilon_spent: "1" }],
      spend: [{ requester_brand: "pieshop", question_key: `outreach-results:${ids[0]}`, epsilon: "1" }],
    });
  });

  it("never overspends under concurrent approvals: with room for one more, one of three succeeds", async () => {
    await pool.query("INSERT INTO privacy_quotas (requester_brand, epsilon_total) VALUES ('stylehub', 1.5)");
    const results = await Promise.allSettled(
      ids.map((id) => withTransaction(pool, (tx) => reserveOutreachResults(tx, SETTINGS, "stylehub", id.replace(/^./, "9")))),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(refused.map((result) => (result.reason as { code?: string }).code)).toEqual(["BUDGET_EXHAUSTED", "BUDGET_EXHAUSTED"]);
    expect((refused[0]?.reason as Error).message).toMatch(/partner's privacy budget at your brand cannot cover the results/);
    const after = await state();
    expect(after.quota).toEqual([
      { requester_brand: "pieshop", epsilon_spent: "1" },
      { requester_brand: "stylehub", epsilon_spent: "1" },
    ]);
    expect(after.pool).toEqual([{ epsilon_spent: "2" }]);
    expect(after.spend.filter((row) => row.requester_brand === "stylehub")).toHaveLength(1);
  });

  it("refuses when the owner's pool cap cannot cover it, and the partner's quota charge is undone with it", async () => {
    await pool.query("INSERT INTO privacy_pool_cap (id, epsilon_total) VALUES (1, 2.5)");
    const before = await state();
    await expect(withTransaction(pool, (tx) => reserveOutreachResults(tx, SETTINGS, "pieshop", ids[1] as string))).rejects.toMatchObject({
      code: "BUDGET_EXHAUSTED",
      message: expect.stringMatching(/pool-wide privacy cap cannot cover/),
    });
    expect(await state()).toEqual(before);
  });
});
