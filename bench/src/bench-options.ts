/** What `npm run bench -- ...` accepts. */
export interface BenchOptions {
  /** Members seeded per brand (default 100,000). */
  members: number;
  /** Measured calls per row (default 200). */
  iterations: number;
  /** Unmeasured calls before each row (default 20). */
  warmup: number;
  /** Calls in flight at once (default 1: latencies of one client, not of a saturated server). */
  concurrency: number;
}

export const DEFAULT_BENCH_OPTIONS: BenchOptions = Object.freeze({ members: 100_000, iterations: 200, warmup: 20, concurrency: 1 });

const USAGE = "usage: npm run bench -- [--members N] [--iterations N] [--warmup N] [--concurrency N]";

/** Parses `--name N` / `--name=N` pairs; anything else is refused with the usage line. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...DEFAULT_BENCH_OPTIONS };
  const limits: Record<keyof BenchOptions, [number, number]> = {
    members: [100, 10_000_000],
    iterations: [1, 100_000],
    warmup: [0, 10_000],
    concurrency: [1, 64],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (!match || !name || !Object.hasOwn(limits, name)) throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
    const key = name as keyof BenchOptions;
    const text = match[2] ?? argv[++i];
    const value = Number(text?.replace(/_/g, ""));
    const [min, max] = limits[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${key} needs an integer from ${min} to ${max}, got ${JSON.stringify(text ?? "")}\n${USAGE}`);
    }
    options[key] = value;
  }
  return options;
}
