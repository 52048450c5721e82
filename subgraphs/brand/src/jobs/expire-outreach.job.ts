import type { BackgroundJob } from "./background-job.js";

export const EXPIRE_OUTREACH_JOB = "expire-outreach";

/** Moves PENDING requests past their expiry to EXPIRED (every OUTREACH_EXPIRE_SECONDS). */
export function expireOutreachJob(expire: () => Promise<unknown>, everySeconds: number): BackgroundJob {
  return {
    name: EXPIRE_OUTREACH_JOB,
    everySeconds,
    run: async () => {
      await expire();
    },
  };
}
