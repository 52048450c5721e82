import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { graphqlRequest } from "@brandpool/stack";
import { percentile } from "./measure-latency.js";

/** The own-brand read of the overhead row (issue 11, target 4): one page of 20 members, two fields. */
export const OWN_MEMBERS_QUERY = "query OwnMembers { members(first: 20) { edges { node { id name } } } }";

/** One side of the throughput row, under `connections` concurrent connections. */
export interface ThroughputFigures {
  /** Completed requests a second (all rounds' requests over all rounds' time). */
  requestsPerSecond: number;
  /** Median over the rounds of each round's latency percentile, in ms. */
  p50Ms: number;
  p99Ms: number;
  /** Requests completed in the measured rounds. */
  requests: number;
  /** Non-2xx answers, socket errors and timeouts in the measured rounds (0 for a valid row). */
  failures: number;
}

export interface GatewayOverhead {
  brandpool: ThroughputFigures;
  bare: ThroughputFigures;
  /** brandpool's requests a second over the bare gateway's (target: at least 0.8). */
  ratio: number;
  connections: number;
  /** Members on the page each call returned (checked before the load). */
  membersPerPage: number;
}

export interface GatewayOverheadOptions {
  /** brandpool's gateway (`stack.gatewayUrl`). */
  brandpoolUrl: string;
  /** The bare gateway (startBareGateway), over the same nodes, forwarding the same principal. */
  bareUrl: string;
  /** A real caller token for brandpool's gateway, of the principal the bare gateway forwards. */
  token: string;
  /** Default OWN_MEMBERS_QUERY. */
  query?: string;
  /** Default 50. */
  connections?: number;
  /** Seconds of each measured round; default 10. */
  seconds?: number;
  /** Rounds per side, alternating brandpool and bare so both see the same machine; default 2. */
  rounds?: number;
  /** Seconds of unmeasured load on each side first (JIT, connection pools); default 3. */
  warmupSeconds?: number;
  say?: (line: string) => void;
}

function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

async function load(url: string, body: string, headers: Record<string, string>, connections: number, seconds: number) {
  return autocannon({ url, method: "POST", headers: { "content-type": "application/json", ...headers }, body, connections, duration: seconds });
}

/** Checks, before the load, that a call answers what the row claims to measure; returns the page size. */
async function pageSize(label: string, url: string, query: string, token: string | undefined): Promise<number> {
  const result = await graphqlRequest<{ members?: { edges: unknown[] } }>(url, query, token ? { token } : {});
  if (result.status !== 200 || result.errors.length > 0 || !result.data) throw new Error(`${label}: the query failed (${result.status}): ${result.raw.slice(0, 300)}`);
  return result.data.members?.edges.length ?? 0;
}

/**
 * Target 4 of issue 11: the same own-brand query through brandpool's gateway and through a bare
 * Apollo Gateway over the same nodes, each under `connections` concurrent connections
 * (autocannon), in alternating rounds. Throws if either side's check call fails.
 */
export async function measureGatewayOverhead(options: GatewayOverheadOptions): Promise<GatewayOverhead> {
  const query = options.query ?? OWN_MEMBERS_QUERY;
  const connections = options.connections ?? 50;
  const seconds = options.seconds ?? 10;
  const rounds = options.rounds ?? 2;
  const body = JSON.stringify({ query, variables: {} });
  const sides = {
    brandpool: { url: options.brandpoolUrl, headers: { authorization: `Bearer ${options.token}` } as Record<string, string> },
    bare: { url: options.bareUrl, headers: {} as Record<string, string> },
  };
  const members = await pageSize("brandpool's gateway", sides.brandpool.url, query, options.token);
  const bareMembers = await pageSize("the bare gateway", sides.bare.url, query, undefined);
  if (members !== bareMembers) throw new Error(`the two gateways answered pages of ${members} and ${bareMembers} members`);
  const warmup = options.warmupSeconds ?? 3;
  if (warmup > 0) {
    for (const side of Object.values(sides)) await load(side.url, body, side.headers, connections, warmup);
  }
  const runs = { brandpool: [] as autocannon.Result[], bare: [] as autocannon.Result[] };
  for (let round = 0; round < rounds; round++) {
    // Alternating which goes first, so neither always runs on the warmer (or busier) machine.
    const order = (round % 2 === 0 ? ["brandpool", "bare"] : ["bare", "brandpool"]) as ("brandpool" | "bare")[];
    for (const name of order) {
      const side = sides[name];
      const result = await load(side.url, body, side.headers, connections, seconds);
      runs[name].push(result);
      options.say?.(`  ${name} round ${round + 1}: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
    }
  }
  const figures = (results: autocannon.Result[]): ThroughputFigures => {
    const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
    const elapsed = results.reduce((sum, r) => sum + r.duration, 0);
    return {
      requestsPerSecond: requests / elapsed,
      p50Ms: median(results.map((r) => r.latency.p50)),
      p99Ms: median(results.map((r) => r.latency.p99)),
      requests,
      failures: results.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
    };
  };
  const brandpool = figures(runs.brandpool);
  const bare = figures(runs.bare);
  return { brandpool, bare, ratio: brandpool.requestsPerSecond / bare.requestsPerSecond, connections, membersPerPage: members };
}

/** One query asking every brand in `brandIds` for the estimate of `$expression`, one alias each. */
export function fanOutQuery(brandIds: readonly string[]): string {
  const fields = brandIds.map((id, i) => `b${i}: brand(id: ${JSON.stringify(id)}) { audienceEstimate(expression: $expression) { count repeated } }`);
  return `query FanOut($expression: String!) { ${fields.join(" ")} }`;
}

export interface FanOutSide {
  n: number;
  p50Ms: number;
  p95Ms: number;
}

export interface FanOutFigures {
  brandpool: FanOutSide;
  bare: FanOutSide;
  /** brandpool's p95 over the bare gateway's (target: at most 1.3). */
  ratio: number;
  brands: number;
}

export interface FanOutOptions {
  brandpoolUrl: string;
  bareUrl: string;
  token: string;
  /**
   * The brands asked in one query: at most 15 (the gateway's alias limit); for more, give `query`
   * with one list field, e.g. `query Q($expression: String!) { brands { audienceEstimate(expression: $expression) { count repeated } } }`.
   */
  brandIds: readonly string[];
  /** A query with one variable `$expression` (default fanOutQuery(brandIds)). */
  query?: string;
  /**
   * The expression of call `i` of a side. New questions: a different one for every call of
   * either side (the nodes' ledgers store every answer, whoever asked, so a question the other
   * side asked first is a stored answer). Stored answers: the same question, asked once before.
   */
  question: (side: "brandpool" | "bare", i: number) => string;
  /** Whether every answer must be a new question (false) or a stored one (true). */
  repeated: boolean;
  n: number;
  /** Unmeasured calls of each side first; default 5. */
  warmup?: number;
}

/**
 * Target 1 "through the gateway" and target 2 of issue 11: the same fan-out query through both
 * gateways, one call at a time, alternating brandpool and bare so both sides see the same
 * machine and the same nodes' state. Throws on an error or on an answer that is not as `repeated` says.
 */
export async function measureFanOut(options: FanOutOptions): Promise<FanOutFigures> {
  const query = options.query ?? fanOutQuery(options.brandIds);
  const warmup = options.warmup ?? 5;
  const samples = { brandpool: [] as number[], bare: [] as number[] };
  const call = async (side: "brandpool" | "bare", i: number): Promise<number> => {
    const url = side === "brandpool" ? options.brandpoolUrl : options.bareUrl;
    const expression = options.question(side, i);
    const started = performance.now();
    type Answer = { audienceEstimate: { repeated: boolean } | null } | null;
    const result = await graphqlRequest<Record<string, Answer | Answer[]>>(url, query, {
      variables: { expression },
      ...(side === "brandpool" ? { token: options.token } : {}),
    });
    const ms = performance.now() - started;
    if (result.errors.length > 0 || !result.data) throw new Error(`fan-out through ${side}: the call failed (${result.status}): ${result.raw.slice(0, 300)}`);
    // One alias per brand, or one list field (`brands { audienceEstimate }`: past the alias limit).
    const answers = Object.entries(result.data).flatMap(([alias, value]) => (Array.isArray(value) ? value.map((one, i) => [`${alias}[${i}]`, one] as const) : [[alias, value] as const]));
    for (const [alias, value] of answers) {
      const repeated = value?.audienceEstimate?.repeated;
      if (repeated !== options.repeated) throw new Error(`fan-out through ${side}: ${alias} answered repeated=${String(repeated)}, expected ${options.repeated}`);
    }
    return ms;
  };
  if (options.repeated) {
    // Stored answers: the question is asked once first, so that every measured call repeats it.
    await graphqlRequest(options.brandpoolUrl, query, { token: options.token, variables: { expression: options.question("brandpool", 0) } });
  }
  for (let i = 0; i < warmup + options.n; i++) {
    const order = (i % 2 === 0 ? ["brandpool", "bare"] : ["bare", "brandpool"]) as ("brandpool" | "bare")[];
    for (const side of order) {
      const ms = await call(side, i);
      if (i >= warmup) samples[side].push(ms);
    }
  }
  const side = (values: number[]): FanOutSide => {
    const sorted = [...values].sort((a, b) => a - b);
    return { n: sorted.length, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
  };
  const brandpool = side(samples.brandpool);
  const bare = side(samples.bare);
  return { brandpool, bare, ratio: brandpool.p95Ms / bare.p95Ms, brands: options.brandIds.length };
}
