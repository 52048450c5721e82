import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { DEMO_BRANDS, TAXONOMY, generateMembers } from "@brandpool/demo-data";
import type { DemoMember } from "@brandpool/demo-data";
import { dropDatabase, dropRoles, freePort, listDatabases } from "@brandpool/postgres";
import { startEmbeddedPostgres } from "@brandpool/postgres/embedded";
import type { RunningServer } from "@brandpool/postgres/embedded";
import { startSmsSink, startSmtpSink } from "@brandpool/sinks";
import type { SmsSink, SmtpSink } from "@brandpool/sinks";
import { generateStackKeys, seedMembers, startStack } from "@brandpool/stack";
import type { Stack, StackKeys, StackOptions } from "@brandpool/stack";

/** A brand of a bench pool: the demo brands, or brands drawn like one of them with their own seed. */
export interface BenchBrand {
  id: string;
  name: string;
  nameZh?: string;
  timeZone?: string;
  /** The demo brand whose profile the members are drawn from. */
  profile: string;
  /** The generator's seed (default the demo seed). */
  seed?: string;
}

/** The three demo brands (@brandpool/demo-data). */
export const DEMO_BENCH_BRANDS: readonly BenchBrand[] = DEMO_BRANDS.map((brand) => ({ id: brand.id, name: brand.nameEn, nameZh: brand.nameZh, timeZone: brand.timeZone, profile: brand.id }));

/**
 * A pool of `count` brands: the demo seeds have three, so the others are `brand-04`... drawn
 * like the demo brands in turn, each with its own seed (deterministic).
 */
export function benchPoolBrands(count: number): BenchBrand[] {
  return Array.from({ length: count }, (_, i) => {
    const demo = DEMO_BENCH_BRANDS[i % DEMO_BENCH_BRANDS.length] as BenchBrand;
    if (i < DEMO_BENCH_BRANDS.length) return demo;
    const id = `brand-${String(i + 1).padStart(2, "0")}`;
    return { id, name: `Bench Brand ${i + 1}`, timeZone: "Asia/Shanghai", profile: demo.profile, seed: `brandpool-bench-${id}` };
  });
}

export interface BenchStack {
  /** The running stack (a new one after `restart`). */
  stack: Stack;
  keys: StackKeys;
  brandIds: string[];
  /** "embedded" or "DATABASE_URL", and the server's version. */
  database: { source: "embedded" | "DATABASE_URL"; version: string };
  /** Starting the services and seeding the members, in seconds. */
  startSeconds: number;
  /** Members stored a second by the start's seed (all brands together, from the first member drawn to the last). */
  seedRate: number;
  /** Size of each node's members table (with its indexes) and of its GIN index, in MiB. */
  storage: Record<string, { tableMiB: number; ginIndexMiB: number }>;
  /** The loopback sinks the nodes send outreach to (in this process). */
  sinks: { mail: SmtpSink; sms: SmsSink };
  /** Runs one statement on a database of the stack (a node's by brand id). */
  sql<T extends pg.QueryResultRow>(brandId: string, text: string, values?: unknown[]): Promise<T[]>;
  /** Stops the services and starts them again on the same databases (no seeding), with these V8 flags. */
  restart(nodeFlags: { services: readonly string[]; nodes: readonly string[] }): Promise<void>;
  /**
   * Adds members `from`..`to - 1` of a brand's generator to its database (the same members a
   * seed of `to` would have made), then restarts its node so it starts from the new data.
   * Returns members a second.
   */
  grow(brandId: string, from: number, to: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Counts members as they are drawn, so a long seed shows it is moving: one line per 10% of the
 * whole (every brand together) on a pipe, a line rewritten in place on a terminal.
 */
function progressReporter(brandIds: readonly string[], perBrand: number, say: (line: string) => void) {
  const done = new Map(brandIds.map((id) => [id, 0]));
  const total = perBrand * brandIds.length;
  const started = performance.now();
  const tty = process.stdout.isTTY === true;
  let lastStep = -1;
  const show = () => {
    const sum = [...done.values()].reduce((a, b) => a + b, 0);
    const step = Math.floor((sum / total) * (tty ? 100 : 10));
    if (step === lastStep) return;
    lastStep = step;
    const parts = brandIds.map((id) => `${id} ${(done.get(id) ?? 0).toLocaleString("en-US")}`).join(", ");
    const line = `  seeding ${Math.round((sum / total) * 100)}%: ${parts} (${((performance.now() - started) / 1000).toFixed(0)} s)`;
    if (tty) process.stdout.write(`\r${line}${sum === total ? "\n" : ""}`);
    else say(line);
  };
  let firstAt: number | undefined;
  let lastAt: number | undefined;
  /** Seconds from the first member drawn to the last one stored (the seed's own time, services' start aside). */
  const seconds = () => (firstAt === undefined || lastAt === undefined ? Number.NaN : (lastAt - firstAt) / 1000);
  function* counted(brandId: string, members: Iterable<DemoMember>): Generator<DemoMember> {
    for (const member of members) {
      firstAt ??= performance.now();
      yield member;
      lastAt = performance.now();
      const n = (done.get(brandId) ?? 0) + 1;
      done.set(brandId, n);
      if (n % 1_000 === 0 || n === perBrand) show();
    }
  }
  return { counted, seconds };
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * Waits until each node's audience index is in (its "audience index loaded" line): until then a
 * node counts in SQL, and figures measured then would be SQL's (a 10,000,000-member load takes
 * tens of seconds after a restart).
 */
async function indexesLoaded(stack: Stack, brandIds: readonly string[], say: (line: string) => void, timeoutMs = 300_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (const brandId of brandIds) {
    for (;;) {
      const node = stack.nodes.get(brandId);
      if (!node) throw new Error(`no node ${brandId}`);
      const loaded = /audience index loaded: .*/.exec(node.output());
      if (loaded) {
        say(`  ${brandId}: ${loaded[0]}`);
        break;
      }
      if (performance.now() > deadline) throw new Error(`${brandId}'s audience index did not load within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * The whole platform as `npm start` runs it (real migrations, separate processes, the nodes'
 * default k threshold and epsilon) on databases named `bp_bench_<run>_*`, on DATABASE_URL or on
 * an embedded Postgres in a temporary folder. `stop` drops every database it made.
 */
export async function startBenchStack(options: {
  membersPerBrand: number;
  /** Default the three demo brands. */
  brands?: readonly BenchBrand[];
  /**
   * Always on an embedded PostgreSQL of its own, DATABASE_URL or not: twenty nodes hold up to
   * 13 connections each, more than a shared server's default 100 (the embedded one allows 300).
   */
  embedded?: boolean;
  /** V8 flags of the first start (default startStack's). */
  nodeFlags?: { services: readonly string[]; nodes: readonly string[] };
  say: (line: string) => void;
  /** Receives, as soon as there is something to clean, how to drop the databases and stop the server. */
  onCleanUp?: (cleanUp: () => Promise<void>) => void;
}): Promise<BenchStack> {
  const { say } = options;
  const runId = randomBytes(3).toString("hex");
  const databasePrefix = `bp_bench_${runId}`;
  let embedded: RunningServer | undefined;
  let embeddedDir: string | undefined;
  let adminUrl = options.embedded ? undefined : process.env.DATABASE_URL;
  const source = adminUrl ? "DATABASE_URL" : "embedded";
  if (!adminUrl) {
    embeddedDir = join(tmpdir(), `brandpool-bench-pg-${runId}`);
    const port = await freePort();
    say(`Starting an embedded PostgreSQL in ${embeddedDir} (port ${port})...`);
    embedded = await startEmbeddedPostgres({ dataDir: embeddedDir, port, password: randomBytes(24).toString("base64url"), ephemeral: true });
    adminUrl = embedded.adminUrl;
  }
  const admin = adminUrl;
  const sinkDir = join(tmpdir(), `brandpool-bench-sinks-${runId}`);
  const mail = await startSmtpSink({ dir: join(sinkDir, "mail") });
  const sms = await startSmsSink({ dir: join(sinkDir, "sms") });
  let cleaned: Promise<void> | undefined;
  const cleanUp = () => {
    cleaned ??= (async () => {
      for (const name of await listDatabases(admin, `${databasePrefix}_`)) await dropDatabase(admin, name);
      await dropRoles(admin, `${databasePrefix}_`);
      await sms.close();
      await mail.close();
      await rm(sinkDir, { recursive: true, force: true });
      await embedded?.stop();
      if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
    })();
    return cleaned;
  };
  options.onCleanUp?.(cleanUp);

  try {
    const version = await withClient(admin, async (client) => (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version ?? "?");
    const brands = options.brands ?? DEMO_BENCH_BRANDS;
    const brandIds = brands.map((brand) => brand.id);
    const brandOf = (id: string) => brands.find((b) => b.id === id) as BenchBrand;
    const draw = (brandId: string, count: number, startIndex = 0) => {
      const brand = brandOf(brandId);
      return generateMembers({ brandId: brand.profile, count, startIndex, ...(brand.seed ? { seed: brand.seed } : {}) });
    };
    const keys = await generateStackKeys(brandIds);
    const { counted, seconds: seedSeconds } = progressReporter(brandIds, options.membersPerBrand, say);
    say(`Databases ${databasePrefix}_* (dropped at the end). Starting the coordinator, the gateway and ${brandIds.length} brand nodes; seeding ${options.membersPerBrand.toLocaleString("en-US")} members per brand...`);
    const startedAt = performance.now();
    const stackOptions: StackOptions = {
      adminUrl: admin,
      databasePrefix,
      brands: brands.map((brand) => ({ id: brand.id, name: brand.name, nameZh: brand.nameZh, timeZone: brand.timeZone })),
      taxonomy: TAXONOMY,
      keys,
      // Twenty nodes starting at once on two cores (with the other services) take a while.
      nodeReadyTimeoutMs: 60_000 + 15_000 * brands.length,
      ...(options.nodeFlags ? { nodeFlags: options.nodeFlags } : {}),
      // The bench asks thousands of new questions, fast: the bench profile has unlimited budgets.
      nodeSettings: { privacyProfile: "bench", estimateRateLimit: 1_000_000, estimateBrandRateLimit: 1_000_000 },
      // The send rows: the loopback sinks, no quiet hours, a frequency cap the rows never reach.
      nodeEnv: (brandId) => ({
        SMTP_URL: mail.url,
        SMTP_FROM: `outreach@${brandId}.example`,
        SMS_WEBHOOK_URL: sms.url,
        QUIET_HOURS: "none",
        FREQUENCY_CAP: "100",
        SEND_POLL_SECONDS: "1",
        // Stage timings in a Server-Timing header (the gateway passes the nodes' on as node-<stage>).
        SERVER_TIMING: "1",
      }),
      gatewayEnv: { SERVER_TIMING: "1" },
    };
    let stack = await startStack({ ...stackOptions, members: (brandId) => counted(brandId, draw(brandId, options.membersPerBrand)) });
    const startSeconds = (performance.now() - startedAt) / 1000;
    const sql = async <T extends pg.QueryResultRow>(brandId: string, text: string, values?: unknown[]) => {
      const node = stack.nodes.get(brandId);
      if (!node) throw new Error(`no node ${brandId}`);
      return withClient(node.databaseUrl, async (client) => (await client.query<T>(text, values)).rows);
    };
    // Fresh bulk loads leave GIN pending lists, no statistics and no visibility map: settle them
    // now so autovacuum does not start in the middle of a measured row.
    say("VACUUM ANALYZE members on each node...");
    for (const id of brandIds) await sql(id, "VACUUM ANALYZE members");
    const mib = (bytes: string | undefined) => Math.round((Number(bytes ?? 0) / 1024 / 1024) * 10) / 10;
    const storage: BenchStack["storage"] = {};
    for (const id of brandIds) {
      const [sizes] = await sql<{ table: string; gin: string }>(
        id,
        "SELECT pg_total_relation_size('members')::text AS table, pg_relation_size('members_tag_ids_gin')::text AS gin",
      );
      storage[id] = { tableMiB: mib(sizes?.table), ginIndexMiB: mib(sizes?.gin) };
    }
    const bench: BenchStack = {
      stack,
      keys,
      brandIds,
      database: { source, version },
      startSeconds,
      seedRate: Math.round((options.membersPerBrand * brandIds.length) / seedSeconds()),
      storage,
      sinks: { mail, sms },
      sql,
      async restart(nodeFlags) {
        await stack.stop();
        stack = await startStack({ ...stackOptions, nodeFlags });
        bench.stack = stack;
        await indexesLoaded(stack, brandIds, say);
      },
      async grow(brandId, from, to) {
        const node = stack.nodes.get(brandId);
        if (!node) throw new Error(`no node ${brandId}`);
        const started = performance.now();
        // Keeping a GIN index up to date row by row is most of a bulk load's cost: the index is
        // dropped and built again from its own definition once the members are in.
        const [gin] = await sql<{ def: string }>(brandId, "SELECT pg_get_indexdef('members_tag_ids_gin'::regclass) AS def");
        if (!gin) throw new Error(`${brandId} has no members_tag_ids_gin index`);
        await sql(brandId, "DROP INDEX members_tag_ids_gin");
        const grown = progressReporter([brandId], to - from, say);
        try {
          await seedMembers(node.databaseUrl, TAXONOMY.map((tag) => tag.key), grown.counted(brandId, draw(brandId, to - from, from)));
        } finally {
          say(`Building ${brandId}'s GIN index again...`);
          await sql(brandId, gin.def);
        }
        const perSecond = (to - from) / ((performance.now() - started) / 1000);
        say(`VACUUM ANALYZE members on ${brandId}...`);
        await sql(brandId, "VACUUM ANALYZE members");
        await stack.restartNode(brandId);
        await indexesLoaded(stack, [brandId], say);
        return perSecond;
      },
      async stop() {
        try {
          await stack.stop();
        } finally {
          await cleanUp();
        }
      },
    };
    return bench;
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  }
}
