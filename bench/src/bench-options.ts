/** What `npm run bench -- ...` accepts. */
export interface BenchOptions {
  /** A tenth of the size and fewer calls; size-bound targets are then reported with `met: null`. */
  quick: boolean;
  /** Members seeded per brand of the three-brand pool (default 1,000,000; --quick 100,000). */
  members: number;
  /** Members of the one big brand (default 10,000,000; --quick 1,000,000; 0 skips the figure). */
  bigMembers: number;
  /** Members of each brand of the twenty-brand pool (default 100,000; --quick 10,000; 0 skips it). */
  poolMembers: number;
  /** Brands of the big pool (default 20). */
  poolBrands: number;
  /** Measured calls per latency figure (default 200; --quick 60). */
  iterations: number;
  /** Unmeasured calls before each figure (default 20; --quick 5). */
  warmup: number;
  /** Requests of the soak of the gateway and a node (default 10,000; --quick 2,000). */
  soak: number;
  /** Seconds of each autocannon round of the gateway overhead (default 10; --quick 3). */
  overheadSeconds: number;
  /** Pages of the long members walk at most (default 2,000; --quick 300). */
  walkPages: number;
  /** Matching members the send pipeline's first row selects (default 1,000,000; --quick 100,000; 0 skips the send rows). */
  sendMembers: number;
  /** Messages each delivery row sends (default 20,000; --quick 2,000). */
  sendMessages: number;
  /** Also measure the gateway and node figures with every service on the full JIT (the services' own flags, JS-to-Wasm inlining off) after the `--max-opt=2` pass (default on; --no-flags-pass skips it). */
  flagsPass: boolean;
}

type NumericOption = Exclude<keyof BenchOptions, "quick" | "flagsPass">;

export const DEFAULT_BENCH_OPTIONS: Readonly<BenchOptions> = Object.freeze({
  quick: false,
  members: 1_000_000,
  bigMembers: 10_000_000,
  poolMembers: 100_000,
  poolBrands: 20,
  iterations: 200,
  warmup: 20,
  soak: 10_000,
  overheadSeconds: 10,
  walkPages: 2_000,
  sendMembers: 1_000_000,
  sendMessages: 20_000,
  flagsPass: true,
});

/** --quick: a tenth of every size, fewer calls; anything given explicitly still wins. */
export const QUICK_BENCH_OPTIONS: Readonly<Omit<BenchOptions, "flagsPass">> = Object.freeze({
  quick: true,
  members: 100_000,
  bigMembers: 1_000_000,
  poolMembers: 10_000,
  poolBrands: 20,
  iterations: 60,
  warmup: 5,
  soak: 2_000,
  overheadSeconds: 3,
  walkPages: 300,
  sendMembers: 100_000,
  sendMessages: 2_000,
});

const LIMITS: Record<NumericOption, [number, number]> = {
  members: [100, 10_000_000],
  bigMembers: [0, 100_000_000],
  poolMembers: [0, 10_000_000],
  poolBrands: [2, 20],
  iterations: [1, 100_000],
  warmup: [0, 10_000],
  soak: [0, 1_000_000],
  overheadSeconds: [1, 600],
  walkPages: [2, 100_000],
  sendMembers: [0, 10_000_000],
  sendMessages: [1, 1_000_000],
};

const FLAGS: Record<string, NumericOption> = {
  members: "members",
  "big-members": "bigMembers",
  "pool-members": "poolMembers",
  "pool-brands": "poolBrands",
  iterations: "iterations",
  warmup: "warmup",
  soak: "soak",
  "overhead-seconds": "overheadSeconds",
  "walk-pages": "walkPages",
  "send-members": "sendMembers",
  "send-messages": "sendMessages",
};

export const USAGE =
  "usage: npm run bench -- [--quick] [--no-flags-pass] [--members N] [--big-members N] [--pool-members N] [--pool-brands N] " +
  "[--iterations N] [--warmup N] [--soak N] [--overhead-seconds N] [--walk-pages N] [--send-members N] [--send-messages N]";

/** Parses `--quick`, `--no-flags-pass` and `--name N` / `--name=N` pairs; anything else is refused with the usage line. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes("--quick");
  const options: BenchOptions = quick ? { ...QUICK_BENCH_OPTIONS, flagsPass: true } : { ...DEFAULT_BENCH_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--quick") continue;
    if (arg === "--no-flags-pass") {
      options.flagsPass = false;
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const flag = match?.[1];
    if (!match || !flag || !Object.hasOwn(FLAGS, flag)) throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
    const key = FLAGS[flag] as NumericOption;
    const text = match[2] ?? argv[++i];
    const value = Number(text?.replace(/_/g, ""));
    const [min, max] = LIMITS[key];
    if (text === undefined || text === "" || !Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${flag} needs an integer from ${min} to ${max}, got ${JSON.stringify(text ?? "")}\n${USAGE}`);
    }
    options[key] = value;
  }
  return options;
}
