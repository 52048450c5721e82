import { arch, cpus, loadavg, platform } from "node:os";
import { performance } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { ServiceProcess } from "@brandpool/stack";
import type { BenchOptions } from "./bench-options.js";
import { countFigures } from "./count-figures.js";
import { failedRow, figureRow } from "./figure.js";
import type { FigureRow } from "./figure.js";
import { overheadFigure, soakFigure } from "./load-figures.js";
import { ANALYST, ASKER, OWNER, POOL_FAN_OUT, checkGateway, fanOutFigures, fanOutQuery, membersFigures, nodeFigures } from "./pass-figures.js";
import type { PassContext } from "./pass-figures.js";
import { startBareGateway } from "./bare-gateway.js";
import type { BareGateway } from "./bare-gateway.js";
import { BRAND_NODE_FLAGS, SERVICE_NODE_FLAGS } from "@brandpool/stack";
import { peakRssMiB } from "./process-memory.js";
import { QuestionPool } from "./question-pool.js";
import { measureSendRows } from "./send-rows.js";
import { benchPoolBrands, startBenchStack } from "./start-bench-stack.js";
import type { BenchStack } from "./start-bench-stack.js";

/**
 * The two V8 settings the gateway and node figures are measured in (target 5): TurboFan capped
 * (`--max-opt=2`, how the services ran until the crash was found), and the full JIT with only
 * its JS-to-Wasm inlining off, the services' own flags (SERVICE_NODE_FLAGS). The big brand and
 * the send rows run on the last pass's processes, the twenty-brand pool on the first's.
 */
export const FLAG_PASSES = [
  { label: "--max-opt=2", services: ["--max-opt=2", "--enable-source-maps"], nodes: ["--max-opt=2", "--enable-source-maps"] },
  { label: "full JIT", services: SERVICE_NODE_FLAGS, nodes: BRAND_NODE_FLAGS },
] as const;

/** Run metadata, written beside the rows (bench/results-meta.json). */
export interface BenchMeta {
  date: string;
  node: string;
  platform: string;
  cpus: number;
  loadAverageAtStart: number[];
  options: BenchOptions;
  database: { source: string; version: string } | null;
  /** Seconds of each stage (starting and seeding each stack, each pass). */
  seconds: Record<string, number>;
  /** Per brand: its members table (with indexes) and its GIN index, in MiB. */
  storage: Record<string, { tableMiB: number; ginIndexMiB: number }>;
  /** Members a second of the bench's seeding (the three-brand start, the big brand's growth). */
  seedRates: Record<string, number>;
  /** Parts of the bench not there in this build (bare gateway, overhead, audience index). */
  /** Services that were no longer running when their stack stopped, with how they ended. */
  exitedServices: Record<string, string>;
  totalSeconds: number;
}

export interface BenchRun {
  rows: FigureRow[];
  meta: BenchMeta;
}

function exitState(service: ServiceProcess): string | null {
  const { exitCode, signalCode } = service.child;
  return exitCode !== null || signalCode !== null ? `exited (${signalCode ?? `code ${exitCode}`})` : null;
}

async function startBare(bench: BenchStack, nodeFlags: readonly string[]): Promise<{ bare?: BareGateway; bareMissing?: string }> {
  const nodeUrls = Object.fromEntries([...bench.stack.nodes].map(([id, node]) => [id, node.url]));
  let failure = "";
  // A second try: just after twenty nodes start, the machine can be too busy for its readiness wait.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const bare = await startBareGateway({
        coordinatorUrl: bench.stack.coordinator.url,
        nodeUrls,
        gatewayKey: bench.keys.gateway,
        caller: { kind: "user", subject: ANALYST, brand: ASKER, role: "analyst", tokenId: randomUUID() },
        nodeFlags,
      });
      return { bare };
    } catch (error) {
      failure = (error as Error).message.slice(0, 300);
    }
  }
  return { bareMissing: `the bare gateway did not start: ${failure}` };
}

/**
 * Every figure of issue 11 in one run: the three-brand pool (the count, the node, the gateway
 * fan-out, own-brand pages, the gateway overhead) in both V8 settings with a soak, one brand
 * grown to `bigMembers`, the send pipeline, then a pool of `poolBrands` brands. Always drops
 * what it created. Figures are reported, never asserted; a figure that fails is a row with its
 * error, and the next ones still run.
 */
export async function runBenchmark(
  options: BenchOptions,
  hooks: {
    say: (line: string) => void;
    /** Receives how to stop what is started so far (`running` false while a stack is starting). */
    onStop?: (stop: () => Promise<void>, running: boolean) => void;
  },
): Promise<BenchRun> {
  const { say } = hooks;
  const runStarted = performance.now();
  const run = { quick: options.quick };
  const rows: FigureRow[] = [];
  const meta: BenchMeta = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpus: cpus().length,
    loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
    options,
    database: null,
    seconds: {},
    storage: {},
    seedRates: {},
    exitedServices: {},
    totalSeconds: 0,
  };
  const lap = (name: string, since: number) => {
    meta.seconds[name] = Math.round((performance.now() - since) / 100) / 10;
  };
  let interrupted = false;

  // The three-brand pool, in both V8 settings.
  const passes = options.flagsPass ? FLAG_PASSES : FLAG_PASSES.slice(0, 1);
  const first = passes[0] as (typeof FLAG_PASSES)[number];
  let started = performance.now();
  say(`== Three brands, ${options.members.toLocaleString("en-US")} members each`);
  const bench = await startBenchStack({
    membersPerBrand: options.members,
    nodeFlags: first,
    say,
    onCleanUp: (cleanUp) => hooks.onStop?.(cleanUp, false),
  });
  lap("three-brand start and seed", started);
  meta.seedRates["three-brand seed (members/s, all brands)"] = bench.seedRate;
  meta.database = bench.database;
  Object.assign(meta.storage, bench.storage);
  let bare: BareGateway | undefined;
  const connections: pg.Client[] = [];
  let stopped: Promise<void> | undefined;
  const stopThree = () => {
    stopped ??= (async () => {
      for (const client of connections) await client.end().catch(() => undefined);
      await bare?.stop().catch(() => undefined);
      await bench.stop();
    })();
    return stopped;
  };
  hooks.onStop?.(() => {
    interrupted = true;
    return stopThree();
  }, true);
  const noteExits = (services: ServiceProcess[]) => {
    for (const service of services) {
      const state = exitState(service);
      if (state) meta.exitedServices[service.name] = state;
    }
  };
  const services = () => [bench.stack.coordinator, bench.stack.gateway, ...bench.stack.nodes.values()];
  try {
    say(`Stack up in ${bench.startSeconds.toFixed(0)} s (${bench.database.source}, PostgreSQL ${bench.database.version}).`);
    await checkGateway(bench);
    const questions = new QuestionPool();
    const owner = bench.stack.nodes.get(OWNER);
    if (!owner) throw new Error(`no node ${OWNER}`);
    const ownerDb = new pg.Client({ connectionString: owner.databaseUrl });
    await ownerDb.connect();
    connections.push(ownerDb);
    const tagIds = new Map((await ownerDb.query<{ id: number; key: string }>("SELECT id, key FROM tag_dictionary")).rows.map((r) => [r.key, r.id]));

    started = performance.now();
    say("== The count itself: audience index vs Postgres count(*) over GIN");
    rows.push(...(await countFigures({ ownerDb, ownerDatabaseUrl: owner.databaseUrl, tagIds, questions, perShape: options.quick ? 12 : 40, run, say })));
    lap("count", started);

    for (const [p, pass] of passes.entries()) {
      if (interrupted) break;
      started = performance.now();
      if (p > 0) {
        say(`== Restarting every service with ${pass.label}`);
        noteExits(services());
        await bare?.stop();
        bare = undefined;
        await bench.restart(pass);
      }
      say(`== Gateway and node figures, ${pass.label}`);
      const bareStart = await startBare(bench, pass.services);
      bare = bareStart.bare;
      const context: PassContext = { bench, questions, run, iterations: options.iterations, warmup: options.warmup, flags: pass.label, say, ...bareStart };
      rows.push(...(await nodeFigures(context)));
      rows.push(...(await fanOutFigures(context, { idPrefix: "fan-out-3", what: `gateway fan-out, ${bench.brandIds.length} brands in one query`, query: fanOutQuery(bench.brandIds), maxMs: 40 })));
      rows.push(...(await membersFigures(context, options.walkPages)));
      rows.push(await overheadFigure(context, options.overheadSeconds));
      if (options.soak > 0) rows.push(await soakFigure(context, options.soak));
      lap(`pass ${pass.label}`, started);
    }

    if (options.bigMembers > options.members && !interrupted) {
      started = performance.now();
      say(`== One brand with ${options.bigMembers.toLocaleString("en-US")} members: growing ${OWNER}`);
      try {
        const rate = await bench.grow(OWNER, options.members, options.bigMembers);
        meta.seedRates[`${OWNER} growth to ${options.bigMembers} (members/s)`] = Math.round(rate);
        const [sizes] = await bench.sql<{ table: string; gin: string }>(OWNER, "SELECT pg_total_relation_size('members')::text AS table, pg_relation_size('members_tag_ids_gin')::text AS gin");
        meta.storage[`${OWNER} at ${options.bigMembers}`] = { tableMiB: Math.round(Number(sizes?.table ?? 0) / 1048576), ginIndexMiB: Math.round(Number(sizes?.gin ?? 0) / 1048576) };
        const label = passes.at(-1)?.label ?? first.label;
        const context: PassContext = { bench, questions, run, iterations: options.iterations, warmup: options.warmup, flags: label, say };
        const what = `, one brand of ${options.bigMembers.toLocaleString("en-US")}`;
        rows.push(...(await nodeFigures(context, { idPrefix: "big-node", what, coldMs: 20, storedMs: 20 })));
        const rss = peakRssMiB(bench.stack.nodes.get(OWNER)?.child.pid);
        rows.push(
          figureRow(
            { id: "big-node-rss", figure: `node peak resident memory (VmHWM)${what}`, unit: "MiB", target: { kind: "at-most", value: 2048, of: "measured", sizeBound: true } },
            { measured: rss ?? null, extra: { flags: label, note: "after its start and the figures above" } },
            run,
          ),
        );
      } catch (error) {
        rows.push(failedRow({ id: "big-node", figure: `one brand of ${options.bigMembers.toLocaleString("en-US")}`, unit: "ms", target: { kind: "at-most", value: 20, of: "measured", sizeBound: true } }, error, run));
      }
      lap("big brand", started);
    }

    if (options.sendMembers > 0 && !interrupted) {
      started = performance.now();
      say("== Send pipeline");
      try {
        rows.push(...(await measureSendRows(bench, options, say, run)));
      } catch (error) {
        rows.push(failedRow({ id: "send", figure: "send pipeline", unit: "s", target: { kind: "at-most", value: 30, of: "measured", sizeBound: true } }, error, run));
      }
      lap("send", started);
    }
    noteExits(services());
    if (bare) noteExits([bare.process]);
  } finally {
    await stopThree();
  }

  if (options.poolMembers > 0 && !interrupted) {
    started = performance.now();
    const brands = benchPoolBrands(options.poolBrands);
    say(`== A pool of ${brands.length} brands, ${options.poolMembers.toLocaleString("en-US")} members each, each node its own process and database`);
    let pool: BenchStack | undefined;
    let poolBare: BareGateway | undefined;
    let poolStopped: Promise<void> | undefined;
    const stopPool = () => {
      poolStopped ??= (async () => {
        await poolBare?.stop().catch(() => undefined);
        await pool?.stop();
      })();
      return poolStopped;
    };
    try {
      pool = await startBenchStack({ membersPerBrand: options.poolMembers, brands, embedded: brands.length > 5, nodeFlags: first, say, onCleanUp: (cleanUp) => hooks.onStop?.(cleanUp, false) });
      hooks.onStop?.(stopPool, true);
      lap(`${brands.length}-brand start and seed`, started);
      say(`Stack up in ${pool.startSeconds.toFixed(0)} s (${pool.database.source}, PostgreSQL ${pool.database.version}).`);
      meta.seedRates[`${brands.length}-brand seed (members/s, all brands)`] = pool.seedRate;
      const bareStart = await startBare(pool, first.services);
      poolBare = bareStart.bare;
      // Each call asks every node of the pool: a quarter of the calls keeps the figure's time near the others'.
      const iterations = Math.max(5, Math.ceil(options.iterations / 4));
      const context: PassContext = { bench: pool, questions: new QuestionPool(), run, iterations, warmup: Math.min(options.warmup, 5), flags: first.label, say, ...bareStart };
      rows.push(
        ...(await fanOutFigures(context, {
          idPrefix: `pool-${brands.length}`,
          what: `gateway fan-out, ${brands.length - 1} partners and its own brand in one query (brands { audienceEstimate })`,
          query: POOL_FAN_OUT,
          maxMs: null,
        })),
      );
      noteExits([pool.stack.coordinator, pool.stack.gateway, ...pool.stack.nodes.values()]);
    } catch (error) {
      rows.push(failedRow({ id: `pool-${brands.length}`, figure: `a pool of ${brands.length} brands`, unit: "ms", target: { kind: "at-most", value: 1.3, of: "ratio", sizeBound: false } }, error, run));
    } finally {
      await stopPool();
    }
    lap(`${brands.length}-brand pool`, started);
  }
  meta.totalSeconds = Math.round((performance.now() - runStarted) / 1000);
  return { rows, meta };
}
