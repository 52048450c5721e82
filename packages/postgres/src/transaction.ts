import type pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";

export interface Transaction<TSchema extends Record<string, unknown>> {
  /** The raw client, for libraries that speak pg (the audit chain). */
  client: pg.PoolClient;
  db: NodePgDatabase<TSchema>;
}

/** Runs `work` in one transaction: everything it writes commits together or not at all. */
export async function withTransaction<TSchema extends Record<string, unknown>, T>(
  pool: pg.Pool,
  schema: TSchema,
  work: (tx: Transaction<TSchema>) => Promise<T>,
): Promise<T> {
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
