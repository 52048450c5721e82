import PgBoss from "pg-boss";
import type { BackgroundJob } from "./background-job.js";
import type { QueuedJob, SqlExecutor, WorkQueue } from "./work-queue.js";

/** pg-boss keeps its tables in this schema of the node's database, created at the first start. */
export const JOBS_SCHEMA = "pgboss";

const JOB_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** The two kinds of run of a job (pg-boss singleton keys). */
const TICK = "tick";
const NUDGE = "nudge";

export interface JobRuntimeOptions {
  /** The node's own database. */
  databaseUrl: string;
  /** Connections pg-boss may hold (default 3): polling, maintenance and a send. */
  maxConnections?: number;
  /** Told of failures (a run, polling, maintenance); gets the error itself, to report by kind only. */
  onError(error: unknown): void;
}

/**
 * The node's background work as pg-boss jobs in its own database: the one way to run something
 * periodically or after a write (outbox pushes and the pool sync today, outreach sends later).
 * Register each job before `start`.
 *
 * How runs are made, with what pg-boss 10 documents (its cron `schedule` has minute resolution,
 * too coarse for "every few seconds"): each queue has the `stately` policy, which allows one
 * queued and one active job per singleton key. Two keys:
 * - `tick`: every run, when it ends (even failed), queues the next with `startAfter` =
 *   `everySeconds`. At most one tick waits, so however many runs end (or nodes start) together,
 *   one next tick is queued, and the chain cannot double; `start` queues one too, so a restarted
 *   node resumes it (a no-op when one is already waiting), and pg-boss's cron queues one each
 *   minute (the same no-op), so a chain broken by a failure to queue the next tick resumes;
 * - `nudge` (after a write): queued unless one already waits, so a burst of writes makes one
 *   more run, and a write during a run gets a run after it, as a debounce would, without
 *   waiting for the next tick; the local worker is woken at once rather than at its next poll.
 * One worker per job and process runs one job at a time; across processes of one node, a tick
 * and a nudge may overlap, so runs must be safe to repeat (they are: pushes are idempotent).
 * Jobs carry no data and retry nothing themselves (`retryLimit` 0): the next run is the retry.
 */
export class JobRuntime {
  private readonly boss: PgBoss;
  private readonly jobs = new Map<string, BackgroundJob>();
  private readonly workers = new Map<string, string>();
  private readonly queues = new Map<string, WorkQueue<object>>();
  private state: "idle" | "started" | "stopped" = "idle";

  constructor(private readonly options: JobRuntimeOptions) {
    this.boss = new PgBoss({
      connectionString: options.databaseUrl,
      schema: JOBS_SCHEMA,
      max: options.maxConnections ?? 3,
      application_name: "brandpool-jobs",
      // The cron (per minute) only revives a broken chain, see start().
      schedule: true,
      // Ticks every few seconds make many small jobs: archive them within the hour, drop within a day.
      archiveCompletedAfterSeconds: 3_600,
      archiveFailedAfterSeconds: 3_600,
      deleteAfterDays: 1,
    });
    this.boss.on("error", (error) => options.onError(error));
  }

  /** Adds a job; only before `start`, one job per name. */
  register(job: BackgroundJob): void {
    if (this.state !== "idle") throw new Error(`Job ${job.name} registered after the job runtime started`);
    if (!JOB_NAME.test(job.name)) throw new Error(`Job name ${job.name} is not lower-case words and hyphens`);
    if (!Number.isInteger(job.everySeconds) || job.everySeconds < 1) throw new Error(`Job ${job.name}: everySeconds must be a whole number >= 1`);
    if (this.jobs.has(job.name)) throw new Error(`Job ${job.name} registered twice`);
    this.jobs.set(job.name, job);
  }

  /** Adds a queue of jobs with data; only before `start`, one per name. */
  registerQueue<T extends object>(queue: WorkQueue<T>): void {
    if (this.state !== "idle") throw new Error(`Queue ${queue.name} registered after the job runtime started`);
    if (!JOB_NAME.test(queue.name)) throw new Error(`Queue name ${queue.name} is not lower-case words and hyphens`);
    if (this.jobs.has(queue.name) || this.queues.has(queue.name)) throw new Error(`Queue ${queue.name} registered twice`);
    this.queues.set(queue.name, queue as unknown as WorkQueue<object>);
  }

  /**
   * Queues jobs of a registered queue, in the caller's transaction when `db` is given (pg-boss
   * writes its job rows through it, so they commit or roll back with the change). A job whose
   * singleton key already has one waiting is not queued again (the queues are `short`).
   */
  async enqueue<T extends object>(name: string, jobs: readonly QueuedJob<T>[], db?: SqlExecutor): Promise<void> {
    if (!this.queues.has(name)) throw new Error(`No queue ${name}`);
    if (jobs.length === 0) return;
    const rows = jobs.map((job) => ({
      name,
      data: job.data,
      ...(job.startAfter ? { startAfter: job.startAfter.toISOString() } : {}),
      ...(job.singletonKey ? { singletonKey: job.singletonKey } : {}),
    }));
    await this.boss.insert(rows, db ? { db: db as PgBoss.Db } : {});
    const workerId = this.workers.get(name);
    if (workerId && this.state === "started") this.boss.notifyWorker(workerId);
  }

  /** Creates pg-boss's schema if needed (under its own advisory lock), the queues and the workers, and queues a first run of each job. */
  async start(): Promise<void> {
    if (this.state !== "idle") throw new Error("The job runtime starts once");
    this.state = "started";
    await this.boss.start();
    for (const job of this.jobs.values()) {
      await this.boss.createQueue(job.name, { name: job.name, policy: "stately", retryLimit: 0, expireInSeconds: 120 });
      // Queued before the worker starts, so that its first fetch runs it at once.
      await this.boss.send(job.name, {}, { singletonKey: NUDGE });
      await this.scheduleNext(job);
      // The backstop: should a chain break (the database down when a run ended, a process killed
      // mid-run), a tick queued each minute by pg-boss's cron restarts it; a no-op while one waits.
      await this.boss.schedule(job.name, "* * * * *", {}, { singletonKey: TICK });
      const workerId = await this.boss.work(job.name, { pollingIntervalSeconds: Math.min(job.everySeconds, 2) }, () => this.runOnce(job));
      this.workers.set(job.name, workerId);
    }
    for (const queue of this.queues.values()) {
      await this.boss.createQueue(queue.name, {
        name: queue.name,
        policy: "short",
        retryLimit: queue.retryLimit,
        retryDelay: queue.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: queue.expireInSeconds,
      });
      for (let i = 0; i < queue.workers; i += 1) {
        // A worker that has just done a job asks for the next at once (pg-boss would otherwise
        // wait out its polling second after each job: two workers then did at most two batches
        // a second, 1,000 SMS/s, however fast the channel). With nothing queued it polls as usual.
        let workerId: string | undefined;
        workerId = await this.boss.work(queue.name, { pollingIntervalSeconds: 1 }, async (jobs) => {
          await this.handleJobs(queue, jobs);
          if (workerId && this.state === "started") this.boss.notifyWorker(workerId);
        });
        if (i === 0) this.workers.set(queue.name, workerId);
      }
    }
  }

  private async handleJobs(queue: WorkQueue<object>, jobs: readonly PgBoss.Job<unknown>[]): Promise<void> {
    for (const job of jobs) {
      try {
        await queue.handle(queue.parse(job.data));
      } catch (error) {
        this.options.onError(error);
        const failed = new Error(`${queue.name} failed`);
        failed.stack = failed.message;
        throw failed;
      }
    }
  }

  /** Asks for a run of `name` soon (after a write); never throws, never waits. */
  nudge(name: string): void {
    if (this.state !== "started" || !this.jobs.has(name)) return;
    this.boss.send(name, {}, { singletonKey: NUDGE }).then(
      () => {
        const workerId = this.workers.get(name);
        if (workerId && this.state === "started") this.boss.notifyWorker(workerId);
      },
      (error: unknown) => this.options.onError(error),
    );
  }

  /**
   * Stops taking runs, waits up to `timeoutMs` for the active ones to end, then closes pg-boss's
   * connections. What is queued stays queued for the next start.
   */
  async stop(timeoutMs: number): Promise<void> {
    if (this.state !== "started") {
      this.state = "stopped";
      return;
    }
    this.state = "stopped";
    await this.boss.stop({ graceful: true, wait: true, close: true, timeout: timeoutMs });
  }

  private async runOnce(job: BackgroundJob): Promise<void> {
    try {
      await job.run();
    } catch (error) {
      this.options.onError(error);
      // pg-boss stores what a run throws: a fixed sentence, never the error (which may hold values).
      const failed = new Error(`${job.name} failed`);
      failed.stack = failed.message;
      throw failed;
    } finally {
      if (this.state === "started") await this.scheduleNext(job);
    }
  }

  private async scheduleNext(job: BackgroundJob): Promise<void> {
    await this.boss
      .sendAfter(job.name, {}, { singletonKey: TICK }, job.everySeconds)
      .catch((error: unknown) => this.options.onError(error));
  }
}
