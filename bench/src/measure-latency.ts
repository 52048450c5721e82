import { performance } from "node:perf_hooks";

export interface LatencyFigures {
  n: number;
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  /** Completed calls per second of wall time, at the row's concurrency. */
  throughputPerSecond: number;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

/**
 * Runs `call(i)` for i in [0, warmup + n) with `concurrency` calls in flight; the first `warmup`
 * calls are not measured. `prepare(i)` runs outside the timed part (minting a token, say).
 */
export async function measureLatency<P>(options: {
  n: number;
  warmup: number;
  concurrency: number;
  prepare?: (i: number) => P | Promise<P>;
  call: (i: number, prepared: P) => Promise<void>;
}): Promise<LatencyFigures> {
  const { n, warmup, concurrency } = options;
  const once = async (i: number): Promise<number> => {
    const prepared = (await options.prepare?.(i)) as P;
    const start = performance.now();
    await options.call(i, prepared);
    return performance.now() - start;
  };
  const pool = async (from: number, to: number, record: (ms: number) => void) => {
    let next = from;
    const worker = async () => {
      while (next < to) record(await once(next++));
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker));
  };

  await pool(0, warmup, () => undefined);
  const samples: number[] = [];
  const started = performance.now();
  await pool(warmup, warmup + n, (ms) => samples.push(ms));
  const elapsedMs = performance.now() - started;

  samples.sort((a, b) => a - b);
  return {
    n: samples.length,
    medianMs: percentile(samples, 0.5),
    p95Ms: percentile(samples, 0.95),
    p99Ms: percentile(samples, 0.99),
    meanMs: samples.reduce((sum, ms) => sum + ms, 0) / samples.length,
    maxMs: samples.at(-1) ?? Number.NaN,
    throughputPerSecond: (samples.length * 1000) / elapsedMs,
  };
}
