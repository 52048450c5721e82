// Soak for the V8 crash of issue 11 (docs/v8-crash/README.md): a stack on DATABASE_URL, an
// extra gateway process with the V8 flags of FLAGS (default: none but source maps), and load
// through it with autocannon until N requests or a crash. The coordinator and the nodes run with
// the stack's own flags (SERVICE_NODE_FLAGS, BRAND_NODE_FLAGS).
//
//   npm run -s build
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres N=10000 node docs/v8-crash/soak.mjs
//   FLAGS="--max-opt=2 --enable-source-maps" ... node docs/v8-crash/soak.mjs   (the old cap)
//   ONLY=members | ONLY=fan   (one kind of request only; default 1,000 pages then 250 fan-outs, repeated)
//   NODE_FLAGS="--enable-source-maps --trace-deopt" TRACE=/tmp/nodes.log ...
//     (the brand nodes' V8 flags; every line the nodes print goes to TRACE, unbuffered, so the
//     last bailout before a fatal error is in it)
//
// Prints a line per batch and, if a process died, its last lines (the "Fatal error" report).
import { randomBytes, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { DEMO_BRANDS, TAXONOMY, generateMembers } from "@brandpool/demo-data";
import { dropDatabase, dropRoles, freePort, listDatabases } from "@brandpool/postgres";
import { generateStackKeys, startStack, startServiceProcess } from "@brandpool/stack";
import { DEV_PLATFORM_ISSUER, publicJwkOf } from "@brandpool/tokens";
import { startBareGateway } from "../../bench/dist/bare-gateway.js";
import autocannon from "autocannon";
import { fanOutQuery } from "../../bench/dist/gateway-overhead.js";
async function lab({ members = 2000, gwFlags = ["--max-opt=2", "--enable-source-maps"], gwEnv = {}, log, scripts = { gw: "gateway/dist/main.js" }, bareFlags, nodeFlags, nodeEnv = {} } = {}) {
  const admin = process.env.DATABASE_URL;
  const prefix = `bp_bench_gwlab_${randomBytes(3).toString("hex")}`;
  const brandIds = DEMO_BRANDS.map((b) => b.id);
  const keys = await generateStackKeys(brandIds);
  const cleanup = async () => {
    for (const name of await listDatabases(admin, `${prefix}_`)) await dropDatabase(admin, name);
    await dropRoles(admin, `${prefix}_`);
  };
  let stack, gw, bare;
  try {
    stack = await startStack({
      adminUrl: admin, databasePrefix: prefix,
      brands: DEMO_BRANDS.map((brand) => ({ id: brand.id, name: brand.nameEn, nameZh: brand.nameZh, timeZone: brand.timeZone })),
      taxonomy: TAXONOMY, keys,
      members: (brandId) => generateMembers({ brandId, count: members }),
      nodeSettings: { privacyProfile: "bench", estimateRateLimit: 1_000_000, estimateBrandRateLimit: 1_000_000 },
      nodeEnv: () => ({ SERVER_TIMING: "1", ...nodeEnv }),
      ...(nodeFlags ? { nodeFlags: { nodes: nodeFlags } } : {}),
      log,
    });
    const gws = {};
    for (const [name, script] of Object.entries(scripts)) {
    const port = await freePort();
    gws[name] = gw = await startServiceProcess({
      name, script, port, nodeFlags: gwFlags, log,
      env: {
        PORT: String(port), COORDINATOR_URL: stack.coordinator.url, GATEWAY_KEY: JSON.stringify(keys.gateway),
        PLATFORM_ISSUER: DEV_PLATFORM_ISSUER, PLATFORM_KEYS: JSON.stringify({ keys: [publicJwkOf(keys.platformIssuer)] }),
        COORDINATOR_CLIENT_KEYS: JSON.stringify({ keys: [publicJwkOf(keys.coordinator.clientKey)] }),
        BRANDPOOL_DEV: "1", ROUTING_TTL_MS: "2000", ...gwEnv,
      },
    });
    }
    const subject = "pieshop-analyst@bench";
    const caller = { kind: "user", subject, brand: "pieshop", role: "analyst", tokenId: randomUUID() };
    bare = await startBareGateway({ coordinatorUrl: stack.coordinator.url, nodeUrls: Object.fromEntries([...stack.nodes].map(([id, n]) => [id, n.url])), gatewayKey: keys.gateway, caller, ...(bareFlags ? { nodeFlags: bareFlags } : {}) });
    const token = await stack.token({ brand: "pieshop", role: "analyst", subject, ttlSeconds: 3600 });
    return { stack, gw, gws, bare, token, brandIds, async stop() { for (const g of Object.values(gws)) await g.stop(); await bare?.stop(); await stack?.stop(); await cleanup(); } };
  } catch (e) {
    await gw?.stop(); await bare?.stop(); await stack?.stop(); await cleanup();
    throw e;
  }
}

const flags = (process.env.FLAGS ?? "--enable-source-maps").split(" ").filter(Boolean);
const lines = [];
const trace = process.env.TRACE ? createWriteStream(process.env.TRACE) : null;
// V8 prints its traces with C stdio, block-buffered into a pipe: libstdbuf makes the nodes' stdout unbuffered.
const unbuffered = trace ? { LD_PRELOAD: "/usr/libexec/coreutils/libstdbuf.so", _STDBUF_O: "0" } : {};
const nodeFlags = process.env.NODE_FLAGS?.split(" ").filter(Boolean);
const L = await lab({ scripts: { gw: process.env.SCRIPT ?? "gateway/dist/main.js" }, gwFlags: flags, bareFlags: flags, gwEnv: JSON.parse(process.env.GWENV ?? "{}"), nodeFlags, nodeEnv: unbuffered, log: (l) => { if (trace && l.startsWith("[node:")) trace.write(`${l}\n`); lines.push(l); if (lines.length > 4000) lines.shift(); } });
const state = (c) => (c.exitCode !== null || c.signalCode !== null ? `EXITED ${c.signalCode ?? c.exitCode}` : "running");
try {
  const target = process.env.T === "bare" ? [L.bare.url, false, L.bare.process.child] : [L.gw.url, true, L.gw.child];
  const mk = (q, v) => JSON.stringify({ query: q, variables: v });
  const bodies = [mk("query OwnMembers { members(first: 20) { edges { node { id name } } } }", {}), mk(fanOutQuery(L.brandIds), { expression: "age:25-34 and gender:f and interest:tea" })];
  const total = Number(process.env.N ?? 6000);
  let done = 0;
  const t0 = Date.now();
  while (done < total && state(target[2]) === "running") {
    for (const [body, amount] of process.env.ONLY === "members" ? [[bodies[0], 500]] : process.env.ONLY === "fan" ? [[bodies[1], 500]] : [[bodies[0], 1000], [bodies[1], 250]]) {
      const r = await autocannon({ url: target[0], method: "POST", headers: { "content-type": "application/json", ...(target[1] ? { authorization: `Bearer ${L.token}` } : {}) }, body, connections: 20, amount });
      done += r.requests.total;
      console.log(`${done} requests, ${((Date.now() - t0) / 1000).toFixed(0)} s, non2xx ${r.non2xx} errors ${r.errors}: ${state(target[2])}`);
      if (state(target[2]) !== "running") break;
    }
  }
  console.log("final:", state(target[2]), "coordinator:", state(L.stack.coordinator.child), "nodes:", [...L.stack.nodes.values()].map((n) => state(n.child)).join(","));
  const died = [target[2], L.stack.coordinator.child, ...[...L.stack.nodes.values()].map((n) => n.child)].some((c) => state(c) !== "running");
  // Every service's last lines: a V8 fatal error prints its report (and the native stack) to stderr.
  if (died) console.log(lines.slice(-120).join("\n"));
} finally { await L.stop(); }
