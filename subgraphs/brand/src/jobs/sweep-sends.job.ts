import type pg from "pg";
import { sweepSends } from "../sending/sweep-sends.js";
import type { EnqueueBatches } from "../sending/start-sending.js";
import type { BackgroundJob } from "./background-job.js";

export const SWEEP_SENDS_JOB = "sweep-sends";

/** Re-queues send batches left without a job (a process killed mid-batch); also at start. */
export function sweepSendsJob(pool: pg.Pool, enqueue: EnqueueBatches, everySeconds: number): BackgroundJob {
  return {
    name: SWEEP_SENDS_JOB,
    everySeconds,
    run: async () => {
      await sweepSends(pool, enqueue);
    },
  };
}
