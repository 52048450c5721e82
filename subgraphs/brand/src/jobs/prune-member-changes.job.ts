import type { BackgroundJob } from "./background-job.js";

export const PRUNE_MEMBER_CHANGES_JOB = "prune-member-changes";

/**
 * Deletes the audience index's change rows that it has read (AudienceIndex.prune), so the change
 * log stays as long as the changes of the last period even when nobody counts.
 */
export function pruneMemberChangesJob(prune: () => Promise<unknown>, everySeconds: number): BackgroundJob {
  return {
    name: PRUNE_MEMBER_CHANGES_JOB,
    everySeconds,
    run: async () => {
      await prune();
    },
  };
}
