/**
 * A figure of issue 11's table: one measured value against its target, beside the baseline it
 * is compared with in the same run. Every printed row and every element of `bench/results.json`
 * is a FigureRow.
 */

/** What a target bounds: the measured value itself, or the ratio measured / baseline. */
export type TargetOf = "measured" | "ratio";

export interface FigureTarget {
  /** `at-most`: lower is better (latencies, ratios of latencies); `at-least`: throughputs, speed-ups. */
  kind: "at-most" | "at-least";
  value: number;
  of: TargetOf;
  /**
   * The target holds at a size `--quick` does not reach (an absolute latency at 1,000,000
   * members, say): a quick run reports its figure with `met: null`. Ratio targets are not.
   */
  sizeBound: boolean;
}

/** How a row's ratio is formed. */
export type RatioOf = "measured/baseline" | "baseline/measured";

export interface FigureRow {
  /** Stable id, e.g. `count-and3-wide`. */
  id: string;
  /** What is measured, e.g. "count, a and b and c, wide: index vs GIN count(*)". */
  figure: string;
  /** The target as text, e.g. "p95 ≤ 8 ms" or "GIN/index ≥ 50". */
  target: string;
  measured: number | null;
  baseline: number | null;
  /** measured/baseline or baseline/measured (see `ratioOf`); null without both. */
  ratio: number | null;
  /** Whether the target is met; null when not measured, or size-bound in a --quick run. */
  met: boolean | null;
  /** Unit of `measured` and `baseline` (ms, /s, MiB, s, processes). */
  unit: string;
  ratioOf: RatioOf | null;
  /** What the baseline is (e.g. "bare Apollo Gateway p95"); null without one. */
  baselineIs: string | null;
  /** The V8 flags pass the figure was measured in, when the bench runs both. */
  flags?: string;
  n?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  /** Each stage's share of the total (0..1), from Server-Timing headers, by stage name. */
  stages?: Record<string, number>;
  /** Anything a reader needs to read the figure (sizes, matched members, why not available). */
  note?: string;
  /** Why the figure could not be measured. */
  error?: string;
}

export interface FigureSpec {
  id: string;
  figure: string;
  unit: string;
  target: FigureTarget;
  /** Default `measured/baseline`. */
  ratioOf?: RatioOf;
  baselineIs?: string;
}

export interface Measurement {
  measured: number | null;
  baseline?: number | null;
  extra?: Partial<Pick<FigureRow, "flags" | "n" | "p50" | "p95" | "p99" | "stages" | "note" | "error">>;
}

const round = (value: number) => (Math.abs(value) >= 100 ? Math.round(value * 10) / 10 : Math.round(value * 1000) / 1000);

function targetText(spec: FigureSpec): string {
  const { kind, value, of } = spec.target;
  const sign = kind === "at-most" ? "≤" : "≥";
  if (of === "measured") return `${sign} ${value.toLocaleString("en-US")} ${spec.unit}`;
  const ratioOf = spec.ratioOf ?? "measured/baseline";
  return `${ratioOf === "measured/baseline" ? "×baseline" : "baseline/measured"} ${sign} ${value}`;
}

/** Whether `value` meets the target. */
export function meets(target: FigureTarget, value: number): boolean {
  return target.kind === "at-most" ? value <= target.value : value >= target.value;
}

/**
 * A row from a spec and what was measured: the ratio, and `met` (null when the figure is
 * missing, or when it is size-bound and the run is --quick).
 */
export function figureRow(spec: FigureSpec, measurement: Measurement, run: { quick: boolean }): FigureRow {
  const measured = measurement.measured === null || !Number.isFinite(measurement.measured) ? null : round(measurement.measured);
  const baseline = measurement.baseline === undefined || measurement.baseline === null || !Number.isFinite(measurement.baseline) ? null : round(measurement.baseline);
  const ratioOf = spec.ratioOf ?? "measured/baseline";
  let ratio: number | null = null;
  if (measured !== null && baseline !== null) {
    const [top, bottom] = ratioOf === "measured/baseline" ? [measured, baseline] : [baseline, measured];
    ratio = bottom === 0 ? null : Math.round((top / bottom) * 1000) / 1000;
  }
  const value = spec.target.of === "measured" ? measured : ratio;
  const met = value === null || measurement.extra?.error !== undefined || (run.quick && spec.target.sizeBound) ? null : meets(spec.target, value);
  return {
    id: spec.id,
    figure: spec.figure,
    target: targetText(spec),
    measured,
    baseline,
    ratio,
    met,
    unit: spec.unit,
    ratioOf: baseline === null ? null : ratioOf,
    baselineIs: spec.baselineIs ?? null,
    ...measurement.extra,
  };
}

/** A row that could not be measured: its error is kept, `met` is null. */
export function failedRow(spec: FigureSpec, error: unknown, run: { quick: boolean }): FigureRow {
  const message = error instanceof Error ? error.message : String(error);
  return figureRow(spec, { measured: null, extra: { error: message } }, run);
}

/**
 * Stages of a `Server-Timing` header (`jwt;dur=0.4, node-count;dur=1.2`) as milliseconds by
 * name; entries without a duration are left out, repeated names add up.
 */
export function parseServerTiming(header: string | null | undefined): Record<string, number> {
  const stages: Record<string, number> = {};
  if (!header) return stages;
  for (const entry of header.split(",")) {
    const [name, ...params] = entry.trim().split(";");
    if (!name) continue;
    const dur = params.map((p) => /^\s*dur=([0-9.]+)\s*$/.exec(p)?.[1]).find((d) => d !== undefined);
    if (dur === undefined) continue;
    stages[name.trim()] = (stages[name.trim()] ?? 0) + Number(dur);
  }
  return stages;
}

/**
 * Each stage's share of the total over many calls: the mean of a stage over the mean of `total`
 * (or, without a `total` stage, of the calls' measured durations). Null when no call had a header.
 */
export function stageShares(samples: readonly Record<string, number>[], measuredMeanMs: number): Record<string, number> | undefined {
  const withStages = samples.filter((s) => Object.keys(s).length > 0);
  if (withStages.length === 0) return undefined;
  const sums: Record<string, number> = {};
  for (const sample of withStages) for (const [name, ms] of Object.entries(sample)) sums[name] = (sums[name] ?? 0) + ms;
  const mean = (name: string) => (sums[name] ?? 0) / withStages.length;
  const total = sums.total !== undefined ? mean("total") : measuredMeanMs;
  if (!(total > 0)) return undefined;
  const shares: Record<string, number> = {};
  for (const name of Object.keys(sums)) if (name !== "total") shares[name] = Math.round((mean(name) / total) * 1000) / 1000;
  return shares;
}
