export { DEFAULT_BENCH_OPTIONS, parseBenchOptions } from "./bench-options.js";
export type { BenchOptions } from "./bench-options.js";
export { measureLatency, percentile } from "./measure-latency.js";
export type { LatencyFigures } from "./measure-latency.js";
export { formatResultsTable } from "./results-table.js";
export type { BenchResults, RowResult } from "./results-table.js";
export { runBenchmark } from "./run-benchmark.js";
