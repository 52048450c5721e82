import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePool, createTestDatabase } from "./testing.js";
import type { TestDatabase } from "./testing.js";
import { withTransaction } from "./transaction.js";

// Against a real server: a client whose ROLLBACK never reached it is still inside the failed
// transaction. Handed to the next caller, that caller's BEGIN would only warn and its COMMIT
// would commit the failed work's writes as well.
describe("withTransaction against PostgreSQL", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const rows = async () => (await pool.query<{ label: string }>("SELECT label FROM notes ORDER BY label")).rows.map((row) => row.label);

  beforeAll(async () => {
    db = await createTestDatabase();
    // One connection: whatever client the pool keeps is the one the next transaction gets.
    pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await pool.query("CREATE TABLE notes (label text PRIMARY KEY)");
  });
  afterAll(async () => {
    await closePool(pool);
    await db.drop();
  });

  it("never commits a failed work's writes when its ROLLBACK failed, and the next transaction gets a fresh client", async () => {
    let firstPid = 0;
    await expect(
      withTransaction(pool, {}, async ({ client }) => {
        firstPid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? 0;
        await client.query("INSERT INTO notes VALUES ('from the failed work')");
        // The ROLLBACK of this client will fail on the client side, never reaching the server.
        const query = client.query.bind(client) as (text: string) => Promise<unknown>;
        (client as unknown as { query: (text: string) => Promise<unknown> }).query = (text: string) =>
          text === "ROLLBACK" ? Promise.reject(new Error("connection lost")) : query(text);
        throw new Error("work failed");
      }),
    ).rejects.toThrow("work failed");

    const secondPid = await withTransaction(pool, {}, async ({ client }) => {
      await client.query("INSERT INTO notes VALUES ('from the next work')");
      return (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? 0;
    });
    expect(firstPid).toBeGreaterThan(0);
    expect(secondPid).not.toBe(firstPid);
    expect(await rows()).toEqual(["from the next work"]);
  });

  it("keeps reusing a client whose ROLLBACK went through (the test above can fail)", async () => {
    const pids: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      await expect(
        withTransaction(pool, {}, async ({ client }) => {
          pids.push((await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? 0);
          throw new Error("work failed");
        }),
      ).rejects.toThrow("work failed");
    }
    expect(pids[0]).toBeGreaterThan(0);
    expect(pids[1]).toBe(pids[0]);
  });
});
