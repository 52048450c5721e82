import { randomBytes } from "node:crypto";
import pg from "pg";
import { TAXONOMY, generateMembers } from "@brandpool/demo-data";
import { databaseUrl, dropDatabase, dropRoles, listDatabases } from "@brandpool/postgres";
import { templateName, templateOwner, testRun } from "@brandpool/postgres/testing";
import { generateStackKeys, graphqlRequest, startStack } from "@brandpool/stack";
import type { DevTokenClaims, GraphQLResponse, Stack, StackBrand, StackKeys } from "@brandpool/stack";

/** Test fixtures stay small so CI keeps its time (DESIGN.md: at most 2,000 members per brand). */
export const FIXTURE_MEMBERS = 2_000;

export const TEST_BRANDS: readonly StackBrand[] = [
  { id: "pieshop", name: "PaiPai Pie Shop", nameZh: "派派馅饼" },
  { id: "teabar", name: "Leaf Tea Bar", nameZh: "一叶茶吧" },
  { id: "stylehub", name: "StyleHub", nameZh: "风尚汇" },
];

export interface TestStack extends Stack {
  keys: StackKeys;
  databasePrefix: string;
  /** A GraphQL call through the gateway as the given principal. */
  ask<T = Record<string, unknown>>(claims: DevTokenClaims | string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /**
   * A superuser connection to a database of the stack (a node's, or "coordinator"): tests tamper
   * with what no service may (session_replication_role, renamed tables). The services themselves
   * connect as their own roles (`nodes.get(id).databaseUrl`, `coordinatorDatabaseUrl`).
   */
  sql<T extends pg.QueryResultRow = pg.QueryResultRow>(database: string, text: string, values?: unknown[]): Promise<T[]>;
}

/**
 * The whole platform for one test file: coordinator, gateway and a node per brand as separate
 * processes over HTTP, on databases cloned from the migrated templates, with fixture members.
 */
export interface TestStackOptions {
  brands?: readonly StackBrand[];
  members?: number;
  kThreshold?: number;
  /**
   * Estimate operations a second per principal. Tests ask faster than people, so 1,000 unless
   * given; `null` keeps the node's own default (10), for the tests of the limit itself.
   */
  estimateRateLimit?: number | null;
  /** Estimate operations a second per requester brand: 1,000 unless given, `null` for the node's default (30). */
  estimateBrandRateLimit?: number | null;
  /** Extra environment of the gateway process (e.g. ROUTING_MAX_STALE_MS for an outage test). */
  gatewayEnv?: Record<string, string>;
  /** Extra environment of each node, by brand id (channel settings, quiet hours). */
  nodeEnv?: (brandId: string) => Record<string, string> | undefined;
  /**
   * Whether the nodes ask each new request's audience against their minimum (the node's default).
   * Off unless given: most tests' fixtures (2,000 members) hold audiences smaller than any
   * minimum, and the question would charge budgets those tests count. `nodeEnv` can override it.
   */
  minimumAudienceCheck?: boolean;
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const { adminUrl, runId } = testRun();
  const brands = options.brands ?? TEST_BRANDS;
  const databasePrefix = `bp_${runId}_${randomBytes(3).toString("hex")}`;
  const keys = await generateStackKeys(brands.map((brand) => brand.id));
  const stack = await startStack({
    adminUrl,
    databasePrefix,
    brands,
    taxonomy: TAXONOMY,
    keys,
    templates: { databases: { brand: templateName(runId, "brand"), coordinator: templateName(runId, "coordinator") }, owner: templateOwner(runId) },
    members: (brandId) =>
      ["pieshop", "teabar", "stylehub"].includes(brandId) ? generateMembers({ brandId, count: options.members ?? FIXTURE_MEMBERS }) : undefined,
    nodeSettings: {
      ...(options.kThreshold ? { kThreshold: options.kThreshold } : {}),
      ...(options.estimateRateLimit === null ? {} : { estimateRateLimit: options.estimateRateLimit ?? 1_000 }),
      ...(options.estimateBrandRateLimit === null ? {} : { estimateBrandRateLimit: options.estimateBrandRateLimit ?? 1_000 }),
    },
    gatewayEnv: options.gatewayEnv,
    nodeEnv: (brandId) => ({ MINIMUM_AUDIENCE_CHECK: options.minimumAudienceCheck ? "on" : "off", ...options.nodeEnv?.(brandId) }),
  });
  const nameOf = (database: string) => (database === "coordinator" ? stack.coordinatorDatabase : stack.nodes.get(database)?.database);
  return {
    ...stack,
    // The spread copied the process running then; this follows restartCoordinator.
    get coordinator() {
      return stack.coordinator;
    },
    keys,
    databasePrefix,
    async ask(claims, query, variables) {
      const token = typeof claims === "string" ? claims : await stack.token(claims);
      return graphqlRequest(stack.gatewayUrl, query, { token, variables });
    },
    async sql(database, text, values) {
      const name = nameOf(database);
      if (!name) throw new Error(`no database ${database}`);
      const client = new pg.Client({ connectionString: databaseUrl(adminUrl, name) });
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    async stop() {
      await stack.stop();
      for (const name of await listDatabases(adminUrl, `${databasePrefix}_`)) await dropDatabase(adminUrl, name);
      await dropRoles(adminUrl, `${databasePrefix}_`);
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
