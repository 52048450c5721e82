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
 *   database, to time the count itself without HTTP or ledger (target 1, the count).
 * The shapes below are what the bench expects of them.
 */
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

export async function loadPlugIns(): Promise<BenchPlugIns> {
  const missing: Record<string, string> = {};
  // Variables, not literals: the compiler must not require modules that are not merged yet.
  const bare = "./bare-gateway.js";
  const overhead = "./gateway-overhead.js";
  const index = "@brandpool/brand-node/audience-index";
  const [bareModule, overheadModule, indexModule] = await Promise.all([load(bare), load(overhead), load(index)]);
  return {
    startBareGateway: exported(bareModule, "startBareGateway", missing),
    measureGatewayOverhead: exported(overheadModule, "measureGatewayOverhead", missing),
    buildAudienceIndex: exported(indexModule, "buildAudienceIndex", missing),
    missing,
  };
}
