import type { BackgroundJob } from "./background-job.js";

export const RELEASE_DECLINES_JOB = "release-declines";

/** Tells the coordinator of automatic declines whose drawn release time has come (every AUTO_DECLINE_RELEASE_SECONDS). */
export function releaseDeclinesJob(release: () => Promise<unknown>, everySeconds: number): BackgroundJob {
  return {
    name: RELEASE_DECLINES_JOB,
    everySeconds,
    run: async () => {
      await release();
    },
  };
}
