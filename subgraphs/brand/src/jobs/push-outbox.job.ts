import type { OutboxPusher } from "../outbox/outbox-pusher.service.js";
import type { BackgroundJob } from "./background-job.js";

export const PUSH_OUTBOX_JOB = "push-outbox";

/** Pushes the coordinator outbox; nudged after every write that queues an event. */
export function pushOutboxJob(pusher: OutboxPusher, everySeconds: number): BackgroundJob {
  return { name: PUSH_OUTBOX_JOB, everySeconds, run: () => pusher.drain() };
}
