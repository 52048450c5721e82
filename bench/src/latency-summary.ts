import { percentile } from "./measure-latency.js";

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Nearest-rank p50, p95, p99 and the mean of samples in ms (NaN for none). */
export function summarize(samples: readonly number[]): LatencySummary {
  const ascending = [...samples].sort((a, b) => a - b);
  const mean = ascending.reduce((sum, ms) => sum + ms, 0) / ascending.length;
  return { n: ascending.length, p50: percentile(ascending, 0.5), p95: percentile(ascending, 0.95), p99: percentile(ascending, 0.99), mean };
}

const r = (ms: number) => Math.round(ms * 1000) / 1000;

/** The extra fields of a latency row. */
export function latencyExtra(summary: LatencySummary): { n: number; p50: number; p95: number; p99: number } {
  return { n: summary.n, p50: r(summary.p50), p95: r(summary.p95), p99: r(summary.p99) };
}
