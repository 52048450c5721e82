import type { RetryPolicy } from "../delivery/index.js";
import type { Channel } from "../members/expression.sql.js";
import type { QuietHours } from "./quiet-hours.js";

/** How this node sends approved outreach (from its config.ts). */
export interface SendSettings {
  brandId: string;
  /** Channels with an adapter configured; a request on another channel waits, APPROVED. */
  channels: ReadonlySet<Channel>;
  quiet: QuietHours;
  batchSize: number;
  frequencyCap: number;
  frequencyWindowDays: number;
  retry: RetryPolicy;
  /** Country of the MAIL channel's export rows. */
  mailCountry: string;
}

/** The name this node's own send job has as actor in audit events. */
export function sendActor(brandId: string) {
  return { kind: "node", brand: brandId, job: "send" } as const;
}

/** pg-boss queue of send batches; a job's data is `{ requestId, batch }` and nothing else. */
export const SEND_BATCH_QUEUE = "outreach-batch";

export interface SendBatchJob {
  requestId: string;
  batch: number;
}

export function batchKey(job: SendBatchJob): string {
  return `${job.requestId}:${job.batch}`;
}
