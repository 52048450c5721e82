import type { DemoMember, TaxonomyTag } from "@brandpool/demo-data";
import { ensureServiceDatabase, ensureServiceRole, freePort, migrateDatabase, serviceDatabaseUrl } from "@brandpool/postgres";
import type { MigrationSet } from "@brandpool/postgres";
import { DEV_PLATFORM_ISSUER, devBrandIssuer, publicJwkOf } from "@brandpool/tokens";
import { mintDevToken } from "./dev-token.js";
import type { DevTokenClaims } from "./dev-token.js";
import { graphqlOk } from "./graphql-client.js";
import { memberCount, seedMembers } from "./seed-members.js";
import { BRAND_NODE_FLAGS, SERVICE_NODE_FLAGS, startServiceProcess } from "./service-process.js";
import type { ServiceProcess } from "./service-process.js";
import type { StackKeys } from "./stack-keys.js";

export interface StackBrand {
  id: string;
  name: string;
  nameZh?: string;
  timeZone?: string;
  /** Admitted to the pool at start (default true). */
  admitted?: boolean;
}

export interface StackOptions {
  /**
   * Superuser URL of the Postgres server. The stack uses it only to create each service's role
   * and database; the services connect as their own roles (password from `keys`).
   */
  adminUrl: string;
  /** Names of the databases, which are also the names of their services' roles: `<prefix>_coordinator`, `<prefix>_brand_<id>`. */
  databasePrefix: string;
  brands: readonly StackBrand[];
  taxonomy: readonly TaxonomyTag[];
  keys: StackKeys;
  /**
   * Clone these migrated templates instead of migrating (tests); `owner` is the role owning their
   * objects, whose ownership each clone hands to its service's role.
   */
  templates?: { databases: Record<MigrationSet, string>; owner: string };
  /** Members to load into a node whose database has none yet. */
  members?: (brandId: string) => Iterable<DemoMember> | undefined;
  ports?: { gateway?: number; coordinator?: number; nodes?: Record<string, number> };
  nodeSettings?: {
    kThreshold?: number;
    epsilon?: string;
    /** `bench`: unlimited privacy budgets (refused under NODE_ENV=production). */
    privacyProfile?: "standard" | "bench";
    /** Estimate operations a second per principal (the node's default is 10). */
    estimateRateLimit?: number;
    /** Estimate operations a second per requester brand (the node's default is 30). */
    estimateBrandRateLimit?: number;
  };
  /**
   * Extra environment of each node (channel settings: SMTP_URL, SMS_WEBHOOK_URL, QUIET_HOURS...),
   * by brand id; kept for restarts (a test may change it before `restartNode`).
   */
  nodeEnv?: (brandId: string) => Record<string, string> | undefined;
  /** Extra environment of the gateway process (e.g. ROUTING_MAX_STALE_MS for an outage test). */
  gatewayEnv?: Record<string, string>;
  /**
   * V8 flags of the processes: `services` for the coordinator and the gateway (default
   * SERVICE_NODE_FLAGS), `nodes` for the brand nodes (default BRAND_NODE_FLAGS). The bench runs
   * its figures with `--max-opt=2` and with these defaults.
   */
  nodeFlags?: { services?: readonly string[]; nodes?: readonly string[] };
  /** How long a node may take to answer /health after its start (default 30 s; many nodes starting at once on two cores take longer). */
  nodeReadyTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningNode extends ServiceProcess {
  brandId: string;
  /** The node's database, and its role's name too. */
  database: string;
  /** The URL the node connects with: its own role, never the superuser. */
  databaseUrl: string;
  port: number;
  env: Record<string, string>;
}

export interface Stack {
  gatewayUrl: string;
  /** The coordinator's database, and its role's name too. */
  coordinatorDatabase: string;
  /** The URL the coordinator connects with: its own role, never the superuser. */
  coordinatorDatabaseUrl: string;
  /** The coordinator process running now (a new one after restartCoordinator). */
  readonly coordinator: ServiceProcess;
  gateway: ServiceProcess;
  nodes: Map<string, RunningNode>;
  token(claims: DevTokenClaims): Promise<string>;
  /** Starts a stopped node again (same database, port and keys). */
  restartNode(brandId: string): Promise<void>;
  /** Stops the coordinator (if running) and starts it again (same database, port and keys). */
  restartCoordinator(): Promise<void>;
  stop(): Promise<void>;
}

const REGISTER = `mutation Register($input: RegisterBrandInput!) { registerBrand(input: $input) { id } }`;
const UPDATE = `mutation Update($id: ID!, $input: UpdateBrandInput!) { updateBrand(id: $id, input: $input) { id } }`;
const ADMIT = `mutation Admit($id: ID!) { setBrandAdmitted(id: $id, admitted: true) { id } }`;
const UPSERT_TAG = `mutation Tag($input: TagInput!) { upsertTag(input: $input) { key } }`;

/**
 * The service's role (named like its database) and its database, owned by that role and closed
 * to every other; migrations run as the role, so it owns its tables. Returns the role's URL.
 */
async function ensureDatabase(options: StackOptions, name: string, set: MigrationSet, password: string): Promise<string> {
  await ensureServiceRole(options.adminUrl, name, password);
  const template = options.templates ? { name: options.templates.databases[set], owner: options.templates.owner } : undefined;
  await ensureServiceDatabase(options.adminUrl, { name, owner: name, template });
  const url = serviceDatabaseUrl(options.adminUrl, name, name, password);
  if (!options.templates) await migrateDatabase(url, set);
  return url;
}

/**
 * Starts the whole platform as separate processes over real HTTP: the coordinator, the gateway
 * and one node per brand, each brand with its own database. Registers and admits the brands and
 * the taxonomy through the gateway as a platform admin (so that is audited like any change).
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const serviceFlags = options.nodeFlags?.services ?? SERVICE_NODE_FLAGS;
  const brandNodeFlags = options.nodeFlags?.nodes ?? BRAND_NODE_FLAGS;
  const started: ServiceProcess[] = [];
  const stopAll = async () => {
    for (const service of [...started].reverse()) await service.stop();
  };
  try {
    const platformIssuerPublic = publicJwkOf(options.keys.platformIssuer);
    const gatewayPublic = publicJwkOf(options.keys.gateway);
    const gatewayKeys = JSON.stringify([gatewayPublic]);

    const coordinatorDatabase = `${options.databasePrefix}_coordinator`;
    const coordinatorDatabaseUrl = await ensureDatabase(options, coordinatorDatabase, "coordinator", options.keys.coordinator.databasePassword);
    const coordinatorPort = options.ports?.coordinator ?? (await freePort());
    // Picked first: the coordinator asks nodes through the gateway (coupon redemptions).
    const gatewayPort = options.ports?.gateway ?? (await freePort());
    const startCoordinator = async () => {
      const service = await startServiceProcess({
        name: "coordinator",
        script: "subgraphs/coordinator/dist/main.js",
        port: coordinatorPort,
        env: {
          DATABASE_URL: coordinatorDatabaseUrl,
          PORT: String(coordinatorPort),
          GATEWAY_KEYS: gatewayKeys,
          GATEWAY_URL: `http://127.0.0.1:${gatewayPort}/graphql`,
          COORDINATOR_CLIENT_KEY: JSON.stringify(options.keys.coordinator.clientKey),
        },
        log: options.log,
        nodeFlags: serviceFlags,
      });
      started.push(service);
      return service;
    };
    let coordinator = await startCoordinator();

    const gateway = await startServiceProcess({
      name: "gateway",
      script: "gateway/dist/main.js",
      port: gatewayPort,
      env: {
        PORT: String(gatewayPort),
        COORDINATOR_URL: coordinator.url,
        GATEWAY_KEY: JSON.stringify(options.keys.gateway),
        PLATFORM_ISSUER: DEV_PLATFORM_ISSUER,
        PLATFORM_KEYS: JSON.stringify({ keys: [platformIssuerPublic] }),
        COORDINATOR_CLIENT_KEYS: JSON.stringify({ keys: [publicJwkOf(options.keys.coordinator.clientKey)] }),
        BRANDPOOL_DEV: "1",
        // The admin UI's identity picker signs in as a demo identity with these (development only).
        DEV_ISSUER_KEYS: JSON.stringify({
          platform: options.keys.platformIssuer,
          brands: Object.fromEntries(Object.entries(options.keys.nodes).map(([id, node]) => [id, node.issuer])),
        }),
        ROUTING_TTL_MS: "2000",
        ...options.gatewayEnv,
      },
      log: options.log,
      nodeFlags: serviceFlags,
    });
    started.push(gateway);
    const gatewayUrl = gateway.url;
    const token = (claims: DevTokenClaims) => mintDevToken(options.keys, claims);
    const admin = await token({ role: "platform-admin", subject: "stack-bootstrap" });

    const known = await graphqlOk<{ tags: { key: string }[]; brands: { id: string; admitted: boolean }[] }>(
      gatewayUrl,
      "{ tags { key } brands { id admitted } }",
      { token: admin },
    );
    const knownTags = new Set(known.tags.map((tag) => tag.key));
    for (const tag of options.taxonomy) {
      if (knownTags.has(tag.key)) continue;
      const input = { dimension: tag.dimension, value: tag.value, labelZh: tag.labelZh, labelEn: tag.labelEn, sensitive: tag.sensitive, cardinality: tag.cardinality };
      await graphqlOk(gatewayUrl, UPSERT_TAG, { token: admin, variables: { input } });
    }

    const nodes = new Map<string, RunningNode>();
    const nodePorts = new Map<string, number>();
    for (const brand of options.brands) nodePorts.set(brand.id, options.ports?.nodes?.[brand.id] ?? (await freePort()));
    for (const brand of options.brands) {
      const port = nodePorts.get(brand.id) as number;
      const nodeUrl = `http://127.0.0.1:${port}/graphql`;
      const brandKeys = options.keys.nodes[brand.id] ?? missingKey(brand.id);
      // Each brand's development issuer has its own key, never the platform issuer's.
      const issuerKeys = { keys: [publicJwkOf(brandKeys.issuer)] };
      const registration = { nodeUrl, nodeKey: publicJwkOf(brandKeys.key), issuer: devBrandIssuer(brand.id), issuerKeys, gatewayKeys: { keys: [gatewayPublic] } };
      const existing = known.brands.find((b) => b.id === brand.id);
      if (!existing) {
        const input = { id: brand.id, name: brand.name, nameZh: brand.nameZh ?? null, timeZone: brand.timeZone ?? null, ...registration };
        await graphqlOk(gatewayUrl, REGISTER, { token: admin, variables: { input } });
      } else {
        await graphqlOk(gatewayUrl, UPDATE, { token: admin, variables: { id: brand.id, input: registration } });
      }
      if (!existing?.admitted && brand.admitted !== false) await graphqlOk(gatewayUrl, ADMIT, { token: admin, variables: { id: brand.id } });
    }

    await Promise.all(
      options.brands.map(async (brand) => {
        const secrets = options.keys.nodes[brand.id] ?? missingKey(brand.id);
        const database = `${options.databasePrefix}_brand_${brand.id.replace(/-/g, "_")}`;
        const url = await ensureDatabase(options, database, "brand", secrets.databasePassword);
        // Asked only for a node whose database has no members yet (npm start says so then).
        const members = options.members && (await memberCount(url)) === 0 ? options.members(brand.id) : undefined;
        if (members) await seedMembers(url, options.taxonomy.map((tag) => tag.key), members);
        const port = nodePorts.get(brand.id) as number;
        const env: Record<string, string> = {
          BRAND_ID: brand.id,
          DATABASE_URL: url,
          PORT: String(port),
          NODE_SECRET: secrets.secret,
          NODE_KEY: JSON.stringify(secrets.key),
          GATEWAY_KEYS: gatewayKeys,
          GATEWAY_URL: gatewayUrl,
          TIME_ZONE: brand.timeZone ?? "Asia/Shanghai",
          ...(options.nodeSettings?.kThreshold ? { K_THRESHOLD: String(options.nodeSettings.kThreshold) } : {}),
          ...(options.nodeSettings?.epsilon ? { EPSILON: options.nodeSettings.epsilon } : {}),
          ...(options.nodeSettings?.privacyProfile ? { PRIVACY_PROFILE: options.nodeSettings.privacyProfile } : {}),
          ...(options.nodeSettings?.estimateRateLimit ? { ESTIMATE_RATE_LIMIT: String(options.nodeSettings.estimateRateLimit) } : {}),
          ...(options.nodeSettings?.estimateBrandRateLimit ? { ESTIMATE_BRAND_RATE_LIMIT: String(options.nodeSettings.estimateBrandRateLimit) } : {}),
          ...options.nodeEnv?.(brand.id),
        };
        const node = await startServiceProcess({ name: `node:${brand.id}`, script: "subgraphs/brand/dist/main.js", port, env, log: options.log, nodeFlags: brandNodeFlags, readyTimeoutMs: options.nodeReadyTimeoutMs });
        started.push(node);
        nodes.set(brand.id, { ...node, brandId: brand.id, database, databaseUrl: url, port, env });
      }),
    );

    return {
      gatewayUrl,
      coordinatorDatabase,
      coordinatorDatabaseUrl,
      get coordinator() {
        return coordinator;
      },
      gateway,
      nodes,
      token,
      async restartNode(brandId) {
        const node = nodes.get(brandId);
        if (!node) throw new Error(`no node ${brandId}`);
        await node.stop();
        const again = await startServiceProcess({ name: node.name, script: "subgraphs/brand/dist/main.js", port: node.port, env: node.env, log: options.log, nodeFlags: brandNodeFlags, readyTimeoutMs: options.nodeReadyTimeoutMs });
        started.push(again);
        nodes.set(brandId, { ...again, brandId, database: node.database, databaseUrl: node.databaseUrl, port: node.port, env: node.env });
      },
      async restartCoordinator() {
        await coordinator.stop();
        coordinator = await startCoordinator();
      },
      stop: stopAll,
    };
  } catch (error) {
    // A set-up step that failed (a service refused, crashed or timed out) says what the services
    // printed last, so a failure seen once in CI can be read afterwards.
    const printed = started.map((service) => `--- ${service.name} (last lines) ---\n${service.output().split("\n").slice(-30).join("\n")}`);
    await stopAll();
    if (error instanceof Error && printed.length > 0) error.message = `${error.message}\n${printed.join("\n")}`;
    throw error;
  }
}

function missingKey(brandId: string): never {
  throw new Error(`No node key for brand ${brandId} in the stack keys.`);
}
