import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEMO_BRANDS } from "@brandpool/demo-data";
import { mintDevToken } from "./dev-token.js";
import type { DevTokenClaims } from "./dev-token.js";
import { REPO_ROOT } from "./service-process.js";
import { loadDevIssuers } from "./stack-keys.js";

/** `npm run -s token -- --brand <id> --role <role>`: prints only a development JWT. */
const ROLES = ["analyst", "approver", "admin", "auditor", "platform-admin"] as const;
const usage = "usage: npm run -s token -- [--brand <id>] --role <analyst|approver|admin|auditor|platform-admin> [--subject <name>] [--ttl <seconds>]";

const fail = (message: string): never => {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
};

let values: { brand?: string; role?: string; subject?: string; ttl?: string };
try {
  ({ values } = parseArgs({ options: { brand: { type: "string" }, role: { type: "string" }, subject: { type: "string" }, ttl: { type: "string" } } }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
  throw error;
}
const role = values.role as DevTokenClaims["role"] | undefined;
if (!role) fail(`--role is required: one of ${ROLES.join(", ")}`);
if (!ROLES.includes(role as DevTokenClaims["role"])) fail(`Unknown role ${JSON.stringify(role)}: the roles are ${ROLES.join(", ")}.`);
if (values.brand && role === "platform-admin") fail("platform-admin is a platform role: leave out --brand");
if (!values.brand && (role === "analyst" || role === "approver" || role === "admin")) fail(`--role ${role} needs --brand`);
const demoBrands: readonly string[] = DEMO_BRANDS.map((brand) => brand.id);
if (values.brand && !demoBrands.includes(values.brand)) fail(`Unknown brand ${JSON.stringify(values.brand)}: the demo brands are ${demoBrands.join(", ")}.`);
// Only the development issuers' keys are read: this tool needs no node's or service's secret.
let loaded: Awaited<ReturnType<typeof loadDevIssuers>>;
try {
  loaded = await loadDevIssuers(join(REPO_ROOT, ".data"));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (!loaded) fail("No development keys yet (or only an earlier .data/keys.json): run `npm start` first.");
const keys = loaded as NonNullable<typeof loaded>;
if (values.brand && !keys.nodes[values.brand]) fail(`Unknown brand ${JSON.stringify(values.brand)}: the demo brands are ${Object.keys(keys.nodes).join(", ")}.`);
const ttlSeconds = values.ttl ? Number(values.ttl) : undefined;
if (ttlSeconds !== undefined && !(Number.isInteger(ttlSeconds) && ttlSeconds > 0 && ttlSeconds <= 86_400)) {
  fail("--ttl is 1 to 86400 seconds, and the gateway refuses a token living longer than its CALLER_TOKEN_MAX_LIFETIME_SECONDS (3600 by default)");
}
process.stdout.write(`${await mintDevToken(keys, { role: role as DevTokenClaims["role"], brand: values.brand, subject: values.subject, ttlSeconds })}\n`);
