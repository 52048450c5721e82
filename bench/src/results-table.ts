import type { LatencyFigures } from "./measure-latency.js";
import type { RowCache } from "./bench-rows.js";

type Nullable<T> = { [K in keyof T]: T[K] | null };

export interface RowResult extends Nullable<LatencyFigures> {
  index: number;
  id: string;
  what: string;
  path: string;
  cache: RowCache;
  /** One tag expression the row asked, if it asks any. */
  example: string | null;
  /** Peak RSS (VmHWM) of the owner's node process once the row had run, in MiB. */
  nodePeakRssMiB: number | null;
  /** For count rows: how many members the questions matched (exactly), over the row's calls. */
  matchedMembers: { median: number; p95: number; max: number } | null;
  /** Why the row has no figures (a failed call stops its row; the next rows still run). */
  error: string | null;
}

export interface BenchResults {
  date: string;
  node: string;
  platform: string;
  cpus: number;
  loadAverageAtStart: number[];
  membersPerBrand: number;
  brands: string[];
  iterations: number;
  warmup: number;
  concurrency: number;
  database: { source: string; version: string };
  /** Starting the services and seeding the members, in seconds. */
  startSeconds: number;
  /** Per brand: its members table (with indexes) and its GIN index, in MiB. */
  storage: Record<string, { tableMiB: number; ginIndexMiB: number }>;
  rows: RowResult[];
  /** Peak RSS (VmHWM) of each service process at the end of the run, in MiB (null: exited). */
  peakRssMiB: Record<string, number | null>;
  /** Services that were no longer running at the end, with how they ended. */
  exitedServices: Record<string, string>;
}

const ms = (value: number | null) => (value === null ? "-" : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

/** The rows as an aligned plain-text table (text columns left, numbers right). */
export function formatResultsTable(rows: readonly RowResult[]): string {
  const header = ["#", "what", "path", "question", "n", "median ms", "p95 ms", "p99 ms", "ops/s", "node RSS MiB"];
  const numeric = [true, false, false, false, true, true, true, true, true, true];
  const body = rows.map((row) => [
    String(row.index),
    row.what,
    row.path,
    row.cache,
    row.error === null ? String(row.n) : "FAILED",
    ms(row.medianMs),
    ms(row.p95Ms),
    ms(row.p99Ms),
    row.throughputPerSecond === null ? "-" : row.throughputPerSecond.toFixed(1),
    row.nodePeakRssMiB === null ? "-" : row.nodePeakRssMiB.toFixed(0),
  ]);
  const widths = header.map((title, c) => Math.max(title.length, ...body.map((cells) => (cells[c] as string).length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (numeric[c] ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
