import pg from "pg";
import { appendAuditEvents } from "@brandpool/audit-chain";

export interface QueuedEvent {
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Queues events in a node's database in one transaction, as the node does (an event in its own
 * log and its outbox row under the same id), but with any payload, even one the coordinator will
 * refuse. Oldest first: the push order is the order given. Returns their ids.
 */
export async function queueOutboxEvents(databaseUrl: string, brandId: string, events: readonly QueuedEvent[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    const ids: string[] = [];
    for (const [index, event] of events.entries()) {
      const [appended] = await appendAuditEvents(client, "audit_events", [
        { type: "test.queued", actor: { kind: "node", brand: brandId }, subject: { kind: "brand", brand: brandId }, payload: { index } },
      ]);
      if (!appended) throw new Error("nothing appended");
      await client.query("INSERT INTO coordinator_outbox (id, type, payload, created_at) VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')", [
        appended.id,
        event.type,
        { ...event.payload, nodeEventId: appended.id },
        index,
      ]);
      ids.push(appended.id);
    }
    await client.query("COMMIT");
    return ids;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
