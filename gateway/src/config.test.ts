import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

const PUBLIC = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", kid: "p" };
const KEY = JSON.stringify({ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A", kid: "g" });
const BASE = { COORDINATOR_URL: "http://127.0.0.1:4100/graphql", GATEWAY_KEY: KEY, PLATFORM_ISSUER: "platform", PLATFORM_KEYS: JSON.stringify({ keys: [PUBLIC] }) };

describe("gateway configuration", () => {
  it("keeps the last routing table for 10 minutes by default", () => {
    expect(loadConfig(BASE)).toMatchObject({ ROUTING_TTL_MS: 5_000, ROUTING_MAX_STALE_MS: 600_000 });
    expect(loadConfig({ ...BASE, ROUTING_MAX_STALE_MS: "60000" }).ROUTING_MAX_STALE_MS).toBe(60_000);
  });

  it("refuses a staleness bound shorter than the TTL, or not a number, naming the variable", () => {
    expect(() => loadConfig({ ...BASE, ROUTING_MAX_STALE_MS: "1000" })).toThrow(/ROUTING_MAX_STALE_MS: must be at least ROUTING_TTL_MS/);
    expect(() => loadConfig({ ...BASE, ROUTING_MAX_STALE_MS: "soon" })).toThrow(/ROUTING_MAX_STALE_MS/);
  });
});

describe("development issuer keys", () => {
  const devKeys = JSON.stringify({ brands: { pieshop: JSON.parse(KEY) } });

  it("refuses them without BRANDPOOL_DEV=1, naming the variable (bad input: dev keys on a production-like gateway)", () => {
    expect(() => loadConfig({ ...BASE, DEV_ISSUER_KEYS: devKeys })).toThrow(/DEV_ISSUER_KEYS: .*only with BRANDPOOL_DEV=1/);
    expect(() => loadConfig({ ...BASE, BRANDPOOL_DEV: "0", DEV_ISSUER_KEYS: devKeys })).toThrow(/DEV_ISSUER_KEYS/);
  });

  it("accepts them with BRANDPOOL_DEV=1, and refuses a key that is not a private JWK", () => {
    expect(loadConfig({ ...BASE, BRANDPOOL_DEV: "1", DEV_ISSUER_KEYS: devKeys }).DEV_ISSUER_KEYS?.brands.pieshop).toBeDefined();
    expect(() => loadConfig({ ...BASE, BRANDPOOL_DEV: "1", DEV_ISSUER_KEYS: JSON.stringify({ brands: { pieshop: PUBLIC } }) })).toThrow(/DEV_ISSUER_KEYS/);
  });
});

describe("Server-Timing", () => {
  it("is off by default and on with SERVER_TIMING=1", () => {
    expect(loadConfig(BASE).serverTiming).toBe(false);
    expect(loadConfig({ ...BASE, SERVER_TIMING: "1" }).serverTiming).toBe(true);
  });

  it("is refused with NODE_ENV=production, naming the variable", () => {
    expect(() => loadConfig({ ...BASE, SERVER_TIMING: "1", NODE_ENV: "production" })).toThrow(/SERVER_TIMING: .*refused when NODE_ENV=production/);
    expect(loadConfig({ ...BASE, NODE_ENV: "production" }).serverTiming).toBe(false);
  });
});
