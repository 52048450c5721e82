import { describe, expect, it } from "vitest";
import { generateSigningKeyPair } from "@brandpool/tokens";
import { loadConfig } from "./config.js";
import { BENCH_BUDGETS } from "./privacy-ledger/budget-limits.js";

async function baseEnv(): Promise<Record<string, string>> {
  const gateway = await generateSigningKeyPair();
  const node = await generateSigningKeyPair();
  return {
    BRAND_ID: "teabar",
    DATABASE_URL: "postgres://teabar@127.0.0.1:5432/teabar",
    NODE_SECRET: "x".repeat(32),
    GATEWAY_KEYS: JSON.stringify([gateway.publicJwk]),
    NODE_KEY: JSON.stringify(node.privateJwk),
    GATEWAY_URL: "http://127.0.0.1:4000/graphql",
  };
}

describe("the bench privacy profile", () => {
  it("is accepted outside production", async () => {
    expect(loadConfig({ ...(await baseEnv()), PRIVACY_PROFILE: "bench" }).PRIVACY_PROFILE).toBe("bench");
  });

  it("is refused when NODE_ENV=production, naming the variable", async () => {
    const env = { ...(await baseEnv()), PRIVACY_PROFILE: "bench", NODE_ENV: "production" };
    expect(() => loadConfig(env)).toThrow(/PRIVACY_PROFILE: the bench profile/);
  });

  it("defaults to the standard profile", async () => {
    expect(loadConfig(await baseEnv()).PRIVACY_PROFILE).toBe("standard");
  });

  it("has budgets no bench run reaches (a billion epsilon a month)", () => {
    for (const value of Object.values(BENCH_BUDGETS)) expect(Number(value)).toBeGreaterThanOrEqual(1e9);
  });
});

describe("brand node configuration: Server-Timing", () => {
  it("is off by default and on with SERVER_TIMING=1", async () => {
    const base = await baseEnv();
    expect(loadConfig(base).SERVER_TIMING).toBe("0");
    expect(loadConfig({ ...base, SERVER_TIMING: "1" }).SERVER_TIMING).toBe("1");
  });

  it("refuses SERVER_TIMING=1 with NODE_ENV=production, and a value that is not 0 or 1, naming the variable", async () => {
    const base = await baseEnv();
    expect(() => loadConfig({ ...base, SERVER_TIMING: "1", NODE_ENV: "production" })).toThrow(/SERVER_TIMING: .*refused when NODE_ENV=production/);
    expect(loadConfig({ ...base, SERVER_TIMING: "0", NODE_ENV: "production" }).SERVER_TIMING).toBe("0");
    expect(() => loadConfig({ ...base, SERVER_TIMING: "yes" })).toThrow(/SERVER_TIMING/);
  });
});
