import { hashAuditEvent } from "@brandpool/audit-chain";
import type { JsonObject } from "@brandpool/audit-chain";
import type { TestStack } from "./test-stack.js";

interface StoredEvent {
  seq: number;
  id: string;
  occurred_at: Date;
  type: string;
  actor: JsonObject;
  subject: JsonObject;
  payload: JsonObject;
  prev_hash: string;
  hash: string;
}

const dollarQuoted = (text: string) => {
  if (text.includes("$j$")) throw new Error("cannot quote");
  return `$j$${text}$j$`;
};

/**
 * What a superuser can do to a chain that the chain alone does not show: rewrite the payload of
 * the event at `seq` and recompute the hash of it and of every event after it, so that every link
 * still recomputes. Returns the rewritten events' new hashes by seq.
 */
export async function rehashTailFrom(stack: TestStack, database: string, seq: number, rewrite: (payload: JsonObject) => JsonObject): Promise<Map<number, string>> {
  const rows = await stack.sql<StoredEvent>(
    database,
    "SELECT seq::int AS seq, id::text AS id, occurred_at, type, actor, subject, payload, prev_hash, hash FROM audit_events WHERE seq >= $1 ORDER BY seq",
    [seq],
  );
  let prevHash = rows[0]?.prev_hash;
  if (!prevHash) throw new Error(`no event at seq ${seq}`);
  const statements: string[] = [];
  const hashes = new Map<number, string>();
  for (const row of rows) {
    const payload = row.seq === seq ? rewrite(row.payload) : row.payload;
    const hash = hashAuditEvent({ seq: row.seq, id: row.id, occurredAt: row.occurred_at, type: row.type, actor: row.actor, subject: row.subject, payload }, prevHash);
    statements.push(
      `UPDATE audit_events SET payload = ${dollarQuoted(JSON.stringify(payload))}::jsonb, prev_hash = '${prevHash}', hash = '${hash}' WHERE seq = ${row.seq};`,
    );
    hashes.set(row.seq, hash);
    prevHash = hash;
  }
  // Bypassing the append-only trigger takes a superuser.
  await stack.sql(database, `SET session_replication_role = replica; ${statements.join(" ")} SET session_replication_role = origin;`);
  return hashes;
}

/** Cuts a chain's tail: deletes every event after `keepThrough`, as a superuser can. */
export async function cutTailAfter(stack: TestStack, database: string, keepThrough: number): Promise<void> {
  await stack.sql(
    database,
    `SET session_replication_role = replica; DELETE FROM audit_events WHERE seq > ${Number(keepThrough)}; SET session_replication_role = origin;`,
  );
}
