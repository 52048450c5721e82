import type { PoolView } from "../pool/pool-view.service.js";
import type { BackgroundJob } from "./background-job.js";

export const SYNC_POOL_JOB = "sync-pool";

/**
 * Pulls the taxonomy and the registry into the pool view, which answers from memory between
 * runs. The view is this process's memory: a node runs as one process (see ARCHITECTURE.md).
 */
export function syncPoolJob(poolView: PoolView, everySeconds: number): BackgroundJob {
  return { name: SYNC_POOL_JOB, everySeconds, run: () => poolView.sync() };
}
