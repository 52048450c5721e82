import type pg from "pg";
import { withTransaction as inTransaction } from "@brandpool/postgres";
import type { Transaction as SchemaTransaction, TransactionOptions } from "@brandpool/postgres";
import { schema } from "./database.js";

export type Transaction = SchemaTransaction<typeof schema>;

/** One transaction over this service's schema (see @brandpool/postgres). */
export function withTransaction<T>(pool: pg.Pool, work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
  return inTransaction(pool, schema, work, options);
}
