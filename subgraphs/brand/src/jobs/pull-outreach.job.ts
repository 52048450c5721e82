import type { OutreachPuller } from "../outreach/outreach-puller.service.js";
import type { BackgroundJob } from "./background-job.js";

export const PULL_OUTREACH_JOB = "pull-outreach";

/** Pulls the outreach requests and cancellations addressed to this node; nudged at start. */
export function pullOutreachJob(puller: OutreachPuller, everySeconds: number): BackgroundJob {
  return { name: PULL_OUTREACH_JOB, everySeconds, run: () => puller.drain() };
}
