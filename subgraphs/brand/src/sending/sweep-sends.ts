import type pg from "pg";
import { batchKey } from "./send-settings.js";
import type { EnqueueBatches } from "./start-sending.js";

/**
 * Queues a job for every batch of a SENDING request that still has recipients due or in flight.
 * The start queues every batch in its own transaction, so this only matters when a job was lost
 * or its process killed (pg-boss would retry it only once it expires): a node runs it at start
 * and then every few seconds. A batch that already has a job waiting gets no second one, and one
 * that is being sent is skipped by the new job (the batch lock).
 */
export async function sweepSends(pool: pg.Pool, enqueue: EnqueueBatches): Promise<number> {
  const open = await pool.query<{ request_id: string; batch: number }>(
    `SELECT DISTINCT r.request_id, r.batch FROM incoming_requests i
     JOIN outreach_recipients r ON r.request_id = i.request_id
     WHERE i.status = 'SENDING' AND r.status = 'QUEUED' AND (r.in_flight OR r.next_attempt_at IS NULL OR r.next_attempt_at <= now())`,
  );
  const jobs = open.rows.map((row) => {
    const data = { requestId: row.request_id, batch: row.batch };
    return { data, singletonKey: batchKey(data) };
  });
  await enqueue(jobs);
  return jobs.length;
}
