import type pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { schema } from "./database.js";
import type { Database } from "./database.js";

export interface Transaction {
  /** The raw client, for libraries that speak pg (the audit chain). */
  client: pg.PoolClient;
  db: Database;
}

/** Runs `work` in one transaction: everything it writes commits together or not at all. */
export async function withTransaction<T>(pool: pg.Pool, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work({ client, db: drizzle(client, { schema }) });
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
