/**
 * Parts of the bench that other work provides, loaded when present so that the bench runs (and
 * says "not available") before they are merged:
 * - `./bare-gateway.js`: `startBareGateway(options): Promise<BareGateway>`, a plain Apollo Gateway
 *   over the same nodes minting node tokens for a fixed principal (the baseline of the gateway
 *   figures);
 * - `./gateway-overhead.js`: `measureGatewayOverhead(options): Promise<GatewayOverhead>`, the
 *   autocannon throughput of brandpool's gateway against the bare one (target 4);
 * - `@brandpool/brand-node/audience-index`: `buildAudienceIndex({ databaseUrl }):
 *   Promise<BenchAudienceIndex>`, the node's audience index built in this process from a node's
 *   database, to time the count itself without HTTP or ledger (target 1, the count); without
 *   that export, the node's `audience-index/index.js` (`AudienceIndex`, `countExpression`,
 *   `AUDIENCE_INDEX_POOL_OPTIONS`) built here as the node builds it.
 * The shapes below are what the bench expects of them.
 */
import pg from "pg";
import type { ServiceProcess } from "@brandpool/stack";
import type { TagExpression } from "@brandpool/tag-expression";
import type { ForwardedCaller, PrivateJwk } from "@brandpool/tokens";

export interface BareGatewayOptions {
  coordinatorUrl: string;
  nodeUrls: Readonly<Record<string, string>>;
  gatewayKey: PrivateJwk;
  caller: ForwardedCaller;
  port?: number;
  nodeFlags?: readonly string[];
  log?: (line: string) => void;
}

export interface BareGateway {
  /** Its GraphQL endpoint (POST, no Authorization needed). */
  url: string;
  process: ServiceProcess;
  stop(): Promise<void>;
}

export interface ThroughputFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failures: number;
}

export interface GatewayOverhead {
  brandpool: ThroughputFigures;
  bare: ThroughputFigures;
  ratio: number;
  connections: number;
  membersPerPage: number;
}

export interface GatewayOverheadOptions {
  brandpoolUrl: string;
  bareUrl: string;
  token: string;
  connections?: number;
  seconds?: number;
  rounds?: number;
  warmupSeconds?: number;
  say?: (line: string) => void;
}

/** The audience index of one node's members, built in the bench process. */
export interface BenchAudienceIndex {
  /** Exact members matching the expression (no channel: the estimate's own count). */
  count(expression: TagExpression): number | Promise<number>;
  close?(): void | Promise<void>;
}

export interface BenchPlugIns {
  startBareGateway?: (options: BareGatewayOptions) => Promise<BareGateway>;
  measureGatewayOverhead?: (options: GatewayOverheadOptions) => Promise<GatewayOverhead>;
  buildAudienceIndex?: (options: { databaseUrl: string }) => Promise<BenchAudienceIndex>;
  /** Why each missing part is missing (the module, or the export, is not there). */
  missing: Record<string, string>;
}

async function load(specifier: string): Promise<Record<string, unknown> | string> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    // Not there at all, as opposed to there but failing (a dependency of it missing, say).
    const wanted = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1] ?? "";
    const itself = code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || (code === "ERR_MODULE_NOT_FOUND" && (wanted === specifier || wanted.endsWith(specifier.replace(/^\./, ""))));
    if (itself) return `${specifier} is not there`;
    return `${specifier} did not load: ${message}`;
  }
}

function exported<T>(module: Record<string, unknown> | string, name: string, missing: Record<string, string>): T | undefined {
  if (typeof module === "string") {
    missing[name] = module;
    return undefined;
  }
  const value = module[name];
  if (typeof value !== "function") {
    missing[name] = `the module has no function ${name}`;
    return undefined;
  }
  return value as T;
}

/** What the brand node's `audience-index/index.js` exports (subgraphs/brand/src/audience-index). */
interface NodeAudienceIndexModule {
  AUDIENCE_INDEX_POOL_OPTIONS: pg.PoolConfig;
  AudienceIndex: new (pool: pg.Pool) => {
    load(): Promise<void>;
    current(): Promise<{ tag(id: number): unknown; all: unknown } | null>;
  };
  countExpression: (expression: TagExpression, tagBitmap: (key: string) => unknown, within: unknown) => number;
}

/**
 * The node's own index module, built in this process the way the node builds it (its own pool,
 * one load, a catch-up before every count, as the node's IndexedAudienceCounter counts).
 */
function indexFromNodeModule(module: NodeAudienceIndexModule): NonNullable<BenchPlugIns["buildAudienceIndex"]> {
  return async ({ databaseUrl }) => {
    const pool = new pg.Pool({ connectionString: databaseUrl, ...module.AUDIENCE_INDEX_POOL_OPTIONS });
    try {
      const ids = new Map((await pool.query<{ id: number; key: string }>("SELECT id, key FROM tag_dictionary")).rows.map((r) => [r.key, r.id]));
      const index = new module.AudienceIndex(pool);
      await index.load();
      return {
        async count(expression) {
          const bitmaps = await index.current();
          if (!bitmaps) throw new Error("the audience index did not load");
          return module.countExpression(expression, (key) => bitmaps.tag(ids.get(key) as number), bitmaps.all);
        },
        close: () => pool.end(),
      };
    } catch (error) {
      await pool.end();
      throw error;
    }
  };
}

export async function loadPlugIns(): Promise<BenchPlugIns> {
  const missing: Record<string, string> = {};
  // Variables, not literals: the compiler must not require modules that are not merged yet.
  const bare = "./bare-gateway.js";
  const overhead = "./gateway-overhead.js";
  const index = "@brandpool/brand-node/audience-index";
  const [bareModule, overheadModule, indexModule] = await Promise.all([load(bare), load(overhead), load(index)]);
  let buildAudienceIndex = exported<BenchPlugIns["buildAudienceIndex"]>(indexModule, "buildAudienceIndex", missing);
  if (!buildAudienceIndex) {
    // The node's module folder itself (the package does not export it): bench/dist -> subgraphs/brand/dist.
    const nodeModule = await load(new URL("../../subgraphs/brand/dist/audience-index/index.js", import.meta.url).href);
    if (typeof nodeModule !== "string" && typeof nodeModule.AudienceIndex === "function" && typeof nodeModule.countExpression === "function") {
      buildAudienceIndex = indexFromNodeModule(nodeModule as unknown as NodeAudienceIndexModule);
      delete missing.buildAudienceIndex;
    }
  }
  return {
    startBareGateway: exported(bareModule, "startBareGateway", missing),
    measureGatewayOverhead: exported(overheadModule, "measureGatewayOverhead", missing),
    buildAudienceIndex,
    missing,
  };
}
