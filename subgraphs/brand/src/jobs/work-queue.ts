/**
 * A queue of jobs that carry data (a send batch: request id and batch number, never personal
 * data), as opposed to a periodic {@link BackgroundJob}. A job is run by one worker at a time;
 * one that throws is retried by pg-boss after `retryDelaySeconds` (doubling), and one whose
 * process died mid-run is retried once it expires, so `handle` must be safe to repeat.
 */
export interface WorkQueue<T extends object> {
  /** The pg-boss queue name: lower-case words and hyphens. */
  readonly name: string;
  /** Workers of this process on the queue (jobs run at once, at most). */
  readonly workers: number;
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  /** A job still active after this long is taken for dead (its process gone) and retried. */
  readonly expireInSeconds: number;
  /** Checks a job's data (it comes back from the database) before `handle` sees it. */
  parse(data: unknown): T;
  handle(data: T): Promise<void>;
}

/** What a caller queues: the data, an optional start time and a key (one waiting job per key). */
export interface QueuedJob<T extends object> {
  data: T;
  startAfter?: Date;
  singletonKey?: string;
}

/** Runs SQL in the caller's transaction, so that jobs are queued with the change that needs them. */
export interface SqlExecutor {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}
