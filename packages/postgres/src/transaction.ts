import type pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";

export interface Transaction<TSchema extends Record<string, unknown>> {
  /** The raw client, for libraries that speak pg (the audit chain). */
  client: pg.PoolClient;
  db: NodePgDatabase<TSchema>;
  /**
   * What the statements of `options.begin` returned, one result per statement (`BEGIN`'s
   * first); empty for a plain `BEGIN`.
   */
  begun: readonly pg.QueryResult[];
}

export interface TransactionOptions {
  /**
   * What starts the transaction instead of `BEGIN`: `BEGIN` and statements without parameters
   * (a lock) sent as one simple query, one round trip; each statement gets its own snapshot.
   * Must begin with `BEGIN`. Their results are the transaction's `begun`.
   */
  begin?: string;
}

// drizzle() with a schema builds its relational config from every table: once per pooled client.
const drizzles = new WeakMap<pg.PoolClient, { schema: object; db: unknown }>();

function drizzleOf<TSchema extends Record<string, unknown>>(client: pg.PoolClient, schema: TSchema): NodePgDatabase<TSchema> {
  const held = drizzles.get(client);
  if (held?.schema === schema) return held.db as NodePgDatabase<TSchema>;
  const db = drizzle(client, { schema });
  drizzles.set(client, { schema, db });
  return db;
}

/**
 * Runs `work` in one transaction: everything it writes commits together or not at all. A client
 * whose ROLLBACK failed may still be inside the transaction, so it is released with the error:
 * the pool then closes it (and the server rolls back) instead of handing it to the next caller,
 * whose BEGIN would only warn and whose COMMIT would commit the failed work too.
 *
 * `work` may end the transaction itself, with a `COMMIT` in the same simple query as its last
 * statement (one round trip fewer): when the server then reports no transaction open, no
 * second COMMIT is sent.
 */
export async function withTransaction<TSchema extends Record<string, unknown>, T>(
  pool: pg.Pool,
  schema: TSchema,
  work: (tx: Transaction<TSchema>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (options.begin !== undefined && !/^BEGIN\b/i.test(options.begin)) throw new Error("a transaction's begin must start with BEGIN");
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const begun = options.begin === undefined ? (await client.query("BEGIN"), []) : asResults((await client.query(options.begin)) as pg.QueryResult | pg.QueryResult[]);
    const result = await work({ client, db: drizzleOf(client, schema), begun });
    if (transactionStatus(client) !== "I") await client.query("COMMIT");
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

/** A simple query's results: an array when it held several statements, one result otherwise. */
function asResults(result: pg.QueryResult | pg.QueryResult[]): pg.QueryResult[] {
  return Array.isArray(result) ? result : [result];
}

/** The server's last ReadyForQuery status: "I" idle (no transaction), "T" in one, "E" in a failed one. */
function transactionStatus(client: pg.PoolClient): string | null {
  return (client as { getTransactionStatus?: () => string | null }).getTransactionStatus?.() ?? null;
}
