import { performance } from "node:perf_hooks";

/** The stages a service reports in `Server-Timing` (W3C), besides `total`. */
export type TimedStage = "token" | "cedar" | "ledger" | "count";

/** Where a request's code adds the time one of its stages took; repeated stages add up. */
export interface StageTimings {
  add(stage: TimedStage, ms: number): void;
}

const ORDER: readonly TimedStage[] = ["token", "cedar", "ledger", "count"];

/**
 * One request's stage times, for a `Server-Timing` header. Only when the service is configured to
 * send it (never in production: the durations are a timing side channel), so the code on the
 * path holds `StageTimings | null` and measures nothing when it is null.
 */
export class ServerTimings implements StageTimings {
  private readonly stages = new Map<TimedStage, number>();
  private readonly startedAt = performance.now();

  add(stage: TimedStage, ms: number): void {
    this.stages.set(stage, (this.stages.get(stage) ?? 0) + ms);
  }

  /** `token;dur=0.31, cedar;dur=0.05, ..., total;dur=2.40`: milliseconds, 2 decimals, stages that ran. */
  header(now: number = performance.now()): string {
    const parts = ORDER.filter((stage) => this.stages.has(stage)).map((stage) => `${stage};dur=${(this.stages.get(stage) ?? 0).toFixed(2)}`);
    parts.push(`total;dur=${(now - this.startedAt).toFixed(2)}`);
    return parts.join(", ");
  }
}

/** Runs `work`, adding its time to `stage` when timings are kept. */
export async function timed<T>(timings: StageTimings | null | undefined, stage: TimedStage, work: () => Promise<T>): Promise<T> {
  if (!timings) return work();
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings.add(stage, performance.now() - start);
  }
}
