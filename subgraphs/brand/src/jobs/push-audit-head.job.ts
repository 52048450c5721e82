import type { AuditHeadPusher } from "../audit/audit-head-pusher.service.js";
import type { BackgroundJob } from "./background-job.js";

export const PUSH_AUDIT_HEAD_JOB = "push-audit-head";

/** Pushes this node's signed chain head to the coordinator; nudged after writes that append events. */
export function pushAuditHeadJob(pusher: AuditHeadPusher, everySeconds: number): BackgroundJob {
  return { name: PUSH_AUDIT_HEAD_JOB, everySeconds, run: () => pusher.push() };
}
