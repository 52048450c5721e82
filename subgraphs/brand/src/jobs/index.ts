export type { BackgroundJob } from "./background-job.js";
export { JOBS_SCHEMA, JobRuntime } from "./job-runtime.js";
export type { JobRuntimeOptions } from "./job-runtime.js";
export { PUSH_OUTBOX_JOB, pushOutboxJob } from "./push-outbox.job.js";
export { SYNC_POOL_JOB, syncPoolJob } from "./sync-pool.job.js";
export { PULL_OUTREACH_JOB, pullOutreachJob } from "./pull-outreach.job.js";
export { PUSH_AUDIT_HEAD_JOB, pushAuditHeadJob } from "./push-audit-head.job.js";
