import type { Pool } from "pg";
import { appendAuditEvents } from "./append-audit-events.js";
import type { AuditEvent, NewAuditEvent } from "./audit-chain.types.js";

/**
 * Appends one event in a transaction of its own, for events that accompany no other write (a
 * policy denial, an estimate). Where there is a business write, call appendAuditEvents inside its
 * transaction instead, so that both commit together.
 */
export async function appendAuditEvent(pool: Pool, table: string, event: NewAuditEvent): Promise<AuditEvent> {
  const client = await pool.connect();
  let unusable: Error | undefined;
  try {
    await client.query("BEGIN");
    const [appended] = await appendAuditEvents(client, table, [event]);
    if (!appended) throw new Error("appendAuditEvents returned no event");
    await client.query("COMMIT");
    return appended;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      // A connection that cannot roll back must not return to the pool mid-transaction.
      unusable = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(unusable);
  }
}
