import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

const PUBLIC = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", kid: "p" };
const KEY = { ...PUBLIC, d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A", kid: "n" };
const BASE = {
  BRAND_ID: "teabar",
  DATABASE_URL: "postgres://teabar@127.0.0.1:5432/teabar",
  NODE_SECRET: "s".repeat(32),
  GATEWAY_KEYS: JSON.stringify([PUBLIC]),
  NODE_KEY: JSON.stringify(KEY),
  GATEWAY_URL: "http://127.0.0.1:4000/graphql",
};

describe("brand node configuration: Server-Timing", () => {
  it("is off by default and on with SERVER_TIMING=1", () => {
    expect(loadConfig(BASE).SERVER_TIMING).toBe("0");
    expect(loadConfig({ ...BASE, SERVER_TIMING: "1" }).SERVER_TIMING).toBe("1");
  });

  it("refuses SERVER_TIMING=1 with NODE_ENV=production, and a value that is not 0 or 1, naming the variable", () => {
    expect(() => loadConfig({ ...BASE, SERVER_TIMING: "1", NODE_ENV: "production" })).toThrow(/SERVER_TIMING: .*refused when NODE_ENV=production/);
    expect(loadConfig({ ...BASE, SERVER_TIMING: "0", NODE_ENV: "production" }).SERVER_TIMING).toBe("0");
    expect(() => loadConfig({ ...BASE, SERVER_TIMING: "yes" })).toThrow(/SERVER_TIMING/);
  });
});
