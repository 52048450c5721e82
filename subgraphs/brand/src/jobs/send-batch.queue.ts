import { z } from "zod";
import type { BatchSender } from "../sending/send-batch.js";
import { SEND_BATCH_QUEUE } from "../sending/send-settings.js";
import type { SendBatchJob } from "../sending/send-settings.js";
import type { WorkQueue } from "./work-queue.js";

// A job carries the request and the batch number, nothing else (never personal data).
const SendBatchJobSchema = z.strictObject({ requestId: z.uuid(), batch: z.number().int().min(0) });

/** The send batches: one job per batch of a request, a few at once per node. */
export function sendBatchQueue(sender: BatchSender, workers: number): WorkQueue<SendBatchJob> {
  return {
    name: SEND_BATCH_QUEUE,
    workers,
    retryLimit: 20,
    retryDelaySeconds: 5,
    // A batch ends in seconds (a retry waits in a new job, not in this one); longer means its process died.
    expireInSeconds: 300,
    parse: (data) => SendBatchJobSchema.parse(data),
    handle: (job) => sender.run(job),
  };
}
