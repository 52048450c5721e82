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
  /** Matching members the send pipeline's first row selects (default 1,000,000; 0 skips the send rows). */
  sendMembers: number;
  /** Messages each delivery row sends (default 20,000). */
  sendMessages: number;
}

export const DEFAULT_BENCH_OPTIONS: BenchOptions = Object.freeze({ members: 100_000, iterations: 200, warmup: 20, concurrency: 1, sendMembers: 1_000_000, sendMessages: 20_000 });

const USAGE = "usage: npm run bench -- [--members N] [--iterations N] [--warmup N] [--concurrency N] [--send-members N] [--send-messages N]";

/** Parses `--name N` / `--name=N` pairs; anything else is refused with the usage line. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...DEFAULT_BENCH_OPTIONS };
  const limits: Record<keyof BenchOptions, [number, number]> = {
    members: [100, 10_000_000],
    iterations: [1, 100_000],
    warmup: [0, 10_000],
    concurrency: [1, 64],
    sendMembers: [0, 10_000_000],
    sendMessages: [1, 1_000_000],
  };
  const flags: Record<string, keyof BenchOptions> = {
    members: "members",
    iterations: "iterations",
    warmup: "warmup",
    concurrency: "concurrency",
    "send-members": "sendMembers",
    "send-messages": "sendMessages",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const flag = match?.[1];
    if (!match || !flag || !Object.hasOwn(flags, flag)) throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
    const key = flags[flag] as keyof BenchOptions;
    const text = match[2] ?? argv[++i];
    const value = Number(text?.replace(/_/g, ""));
    const [min, max] = limits[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${flag} needs an integer from ${min} to ${max}, got ${JSON.stringify(text ?? "")}\n${USAGE}`);
    }
    options[key] = value;
  }
  return options;
}
