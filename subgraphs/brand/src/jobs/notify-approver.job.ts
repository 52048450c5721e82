import type { BackgroundJob } from "./background-job.js";

export const NOTIFY_APPROVER_JOB = "notify-approver";

/** Tells the brand's approver of new requests and of ones about to expire (every NOTIFY_SECONDS). */
export function notifyApproverJob(notify: () => Promise<unknown>, everySeconds: number): BackgroundJob {
  return {
    name: NOTIFY_APPROVER_JOB,
    everySeconds,
    run: async () => {
      await notify();
    },
  };
}
