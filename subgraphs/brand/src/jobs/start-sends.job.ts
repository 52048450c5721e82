import type { SendStarter } from "../sending/start-sending.js";
import type { BackgroundJob } from "./background-job.js";

export const START_SENDS_JOB = "start-sends";

/** Starts approved outreach requests whose send time has come (outside quiet hours). */
export function startSendsJob(starter: SendStarter, everySeconds: number): BackgroundJob {
  return { name: START_SENDS_JOB, everySeconds, run: () => starter.startDue() };
}
