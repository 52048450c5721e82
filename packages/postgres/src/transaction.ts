import type pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";

export interface Transaction<TSchema extends Record<string, unknown>> {
  /** The raw client, for libraries that speak pg (the audit chain). */
  client: pg.PoolClient;
  db: NodePgDatabase<TSchema>;
}

/**
 * Runs `work` in one transaction: everything it writes commits together or not at all. A client
 * whose ROLLBACK failed may still be inside the transaction, so it is released with the error:
 * the pool then closes it (and the server rolls back) instead of handing it to the next caller,
 * whose BEGIN would only warn and whose COMMIT would commit the failed work too.
 */
export async function withTransaction<TSchema extends Record<string, unknown>, T>(
  pool: pg.Pool,
  schema: TSchema,
  work: (tx: Transaction<TSchema>) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work({ client, db: drizzle(client, { schema }) });
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error("ROLLBACK failed");
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
