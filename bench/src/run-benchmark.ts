import { arch, cpus, loadavg, platform } from "node:os";
import type pg from "pg";
import type { ServiceProcess } from "@brandpool/stack";
import type { BenchOptions } from "./bench-options.js";
import { COLD_QUESTIONS_PER_CALL, OWNER, benchRows } from "./bench-rows.js";
import { measureLatency, percentile } from "./measure-latency.js";
import { peakRssMiB } from "./process-memory.js";
import { QuestionPool } from "./question-pool.js";
import type { QuestionShape } from "./question-pool.js";
import type { BenchResults, RowResult } from "./results-table.js";
import { startBenchStack } from "./start-bench-stack.js";
import { measureSendRows } from "./send-rows.js";
import type { BenchStack } from "./start-bench-stack.js";

function exitState(service: ServiceProcess): string | null {
  const { exitCode, signalCode } = service.child;
  return exitCode !== null || signalCode !== null ? `exited (${signalCode ?? `code ${exitCode}`})` : null;
}

function spread(values: readonly number[] | undefined): RowResult["matchedMembers"] {
  if (!values || values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1) as number };
}

/**
 * Starts the platform with `options.members` members per brand, measures every row one after the
 * other, and always drops what it created. Figures are reported, never asserted. A row whose call
 * fails is reported as failed, with what the services printed, and the next rows still run.
 */
export async function runBenchmark(
  options: BenchOptions,
  hooks: {
    say: (line: string) => void;
    /**
     * Receives how to stop what is started so far: first (`running` false) how to drop the
     * databases while the stack is still starting, which makes the start fail and stop its
     * services; then (`running` true) how to stop it all.
     */
    onStop?: (stop: () => Promise<void>, running: boolean) => void;
  },
): Promise<BenchResults> {
  const { say } = hooks;
  const questions = new QuestionPool();
  for (const [shape, perCall] of Object.entries(COLD_QUESTIONS_PER_CALL) as [QuestionShape, number][]) {
    const available = questions.remaining(shape);
    if (perCall * (options.warmup + options.iterations) > available) {
      const most = Math.floor(available / perCall) - options.warmup;
      throw new Error(`Only ${available} distinct ${shape} questions: with --warmup ${options.warmup}, --iterations can be at most ${most}.`);
    }
  }
  const loadAverageAtStart = loadavg().map((value) => Math.round(value * 100) / 100);
  const bench: BenchStack = await startBenchStack({ membersPerBrand: options.members, say, onCleanUp: (cleanUp) => hooks.onStop?.(cleanUp, false) });
  const connections: pg.Client[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      for (const client of connections) await client.end().catch(() => undefined);
      await bench.stop();
    })();
    return stopped;
  };
  hooks.onStop?.(stop, true);
  const services = () => [bench.stack.coordinator, bench.stack.gateway, ...bench.stack.nodes.values()];
  let diagnosed = false;
  const diagnose = () => {
    if (diagnosed) return;
    diagnosed = true;
    for (const service of services()) {
      say(`--- ${service.name}: ${exitState(service) ?? "running"}; last lines:\n${service.output().split("\n").slice(-15).join("\n")}`);
    }
  };
  try {
    const ownerStorage = bench.storage[OWNER];
    say(
      `Stack up in ${bench.startSeconds.toFixed(0)} s (${bench.database.source}, PostgreSQL ${bench.database.version}); ` +
        `${OWNER}'s members table ${ownerStorage?.tableMiB ?? "?"} MiB, its GIN index ${ownerStorage?.ginIndexMiB ?? "?"} MiB.`,
    );
    const rows = await benchRows({ bench, questions, connections });
    const ownerPid = bench.stack.nodes.get(OWNER)?.child.pid;
    const results: RowResult[] = [];
    for (const [index, row] of rows.entries()) {
      if (stopped) break; // interrupted: the stack is going away
      say(`  row ${index + 1}/${rows.length}: ${row.what} (${row.path}, ${row.cache})...`);
      const base = { index: index + 1, id: row.id, what: row.what, path: row.path, cache: row.cache };
      try {
        const figures = await measureLatency({
          n: options.iterations,
          warmup: options.warmup,
          concurrency: options.concurrency,
          prepare: (i) => row.prepare(i),
          call: (i, prepared) => row.call(i, prepared),
        });
        results.push({
          ...base,
          ...figures,
          example: row.example() ?? null,
          matchedMembers: spread(row.matchedMembers?.()),
          nodePeakRssMiB: peakRssMiB(ownerPid) ?? null,
          error: null,
        });
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        const message = `${(error as Error).message}${cause instanceof Error ? ` (${cause.message})` : ""}`;
        say(`    FAILED: ${message}`);
        diagnose();
        results.push({
          ...base,
          n: 0,
          medianMs: null,
          p95Ms: null,
          p99Ms: null,
          meanMs: null,
          maxMs: null,
          throughputPerSecond: null,
          example: row.example() ?? null,
          matchedMembers: null,
          nodePeakRssMiB: peakRssMiB(ownerPid) ?? null,
          error: message,
        });
      }
    }
    if (options.sendMembers > 0 && !stopped) {
      try {
        results.push(...(await measureSendRows(bench, options, say, results.length + 1)));
      } catch (error) {
        say(`    send rows FAILED: ${(error as Error).message}`);
        diagnose();
        results.push({
          index: results.length + 1,
          id: "send",
          what: "send pipeline",
          path: "node jobs -> loopback sink",
          cache: "no stored answers",
          n: 0,
          medianMs: null,
          p95Ms: null,
          p99Ms: null,
          meanMs: null,
          maxMs: null,
          throughputPerSecond: null,
          example: null,
          matchedMembers: null,
          nodePeakRssMiB: null,
          error: (error as Error).message,
        });
      }
    }
    const peak: Record<string, number | null> = {};
    const exitedServices: Record<string, string> = {};
    for (const service of services()) {
      peak[service.name] = peakRssMiB(service.child.pid) ?? null;
      const state = exitState(service);
      if (state) exitedServices[service.name] = state;
    }
    return {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${platform()} ${arch()}`,
      cpus: cpus().length,
      loadAverageAtStart,
      membersPerBrand: options.members,
      brands: bench.brandIds,
      iterations: options.iterations,
      warmup: options.warmup,
      concurrency: options.concurrency,
      database: bench.database,
      startSeconds: Math.round(bench.startSeconds * 10) / 10,
      storage: bench.storage,
      rows: results,
      peakRssMiB: peak,
      exitedServices,
    };
  } finally {
    await stop();
  }
}
