import pg from "pg";
import { appendAuditEvents } from "@brandpool/audit-chain";
import type { JsonObject } from "@brandpool/audit-chain";

/**
 * An event as a brand node records it, written into its database as the node's own role: the
 * owner's event and the platform's copy in its outbox, committed together, for the node's
 * push-outbox job to push. For forging an event the node would never record (a status it did not
 * reach), so a test can show the reconciliation finds it. Returns the event id.
 */
export async function recordAsNode(
  databaseUrl: string,
  event: { type: string; actor: JsonObject; subject: JsonObject; payload: JsonObject },
  forCoordinator: { type: string; payload: JsonObject },
): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    const [appended] = await appendAuditEvents(client, "audit_events", [event]);
    if (!appended) throw new Error("nothing appended");
    await client.query("INSERT INTO coordinator_outbox (id, type, payload) VALUES ($1, $2, $3)", [
      appended.id,
      forCoordinator.type,
      { ...forCoordinator.payload, nodeEventId: appended.id },
    ]);
    await client.query("COMMIT");
    return appended.id;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
