import type { PrivacyLedger } from "../privacy-ledger/index.js";
import type { BackgroundJob } from "./background-job.js";

export const RELEASE_OUTREACH_RESULTS_JOB = "release-outreach-results";

/** Requests looked at per run; the rest wait for the next run. */
const BATCH = 50;

/**
 * Finds the requests whose results are due a release (sending ended, or a day since the last
 * update) and releases each through the privacy ledger, one transaction per request, so one
 * failure does not hold back the others' (the next run tries it again).
 */
export function releaseOutreachResultsJob(ledger: Pick<PrivacyLedger, "dueOutreachResults" | "releaseOutreachResults">, everySeconds: number): BackgroundJob {
  return {
    name: RELEASE_OUTREACH_RESULTS_JOB,
    everySeconds,
    async run() {
      const due = await ledger.dueOutreachResults(BATCH);
      let failure: unknown;
      for (const requestId of due) {
        await ledger.releaseOutreachResults(requestId).catch((error: unknown) => {
          failure ??= error;
        });
      }
      if (failure) throw failure;
    },
  };
}
