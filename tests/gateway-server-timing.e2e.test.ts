import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// SERVER_TIMING=1 (development only: config.ts refuses it under NODE_ENV=production) makes the
// gateway tell where a request's time went. request-protocol.e2e.test.ts checks that a gateway
// without it sends no such header.

const FAN_OUT = `query FanOut($e: String!) {
  teabar: brand(id: "teabar") { audienceEstimate(expression: $e) { count } }
  stylehub: brand(id: "stylehub") { audienceEstimate(expression: $e) { count } }
}`;

const stages = (header: string | null) =>
  Object.fromEntries((header ?? "").split(", ").filter(Boolean).map((entry) => [entry.split(";")[0], Number(entry.split(";dur=")[1])]));

describe("Server-Timing with SERVER_TIMING=1", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ members: 200, gatewayEnv: { SERVER_TIMING: "1" }, nodeEnv: () => ({ SERVER_TIMING: "1" }) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const token = await stack.token({ brand: "pieshop", role: "analyst" });
    const response = await fetch(stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, header: response.headers.get("server-timing"), body: (await response.json()) as { errors?: unknown[] } };
  };

  it("tells the gateway's stages of an own-brand read, each a duration within the total", async () => {
    const answer = await post("{ members(first: 5) { edges { node { id } } } }");
    expect(answer.body.errors).toBeUndefined();
    const figures = stages(answer.header);
    expect(Object.keys(figures).slice(0, 6)).toEqual(["jwt", "cedar", "plan", "mint", "fetch", "total"]);
    for (const stage of ["jwt", "cedar", "plan", "mint", "fetch"]) {
      expect(figures[stage], stage).toBeGreaterThanOrEqual(0);
      expect(figures[stage], stage).toBeLessThanOrEqual(figures.total as number);
    }
    expect(figures.jwt).toBeGreaterThan(0);
    expect(figures.fetch).toBeGreaterThan(0);
  });

  it("tells a fan-out's stages too, and passes on the nodes' own stages as node-<stage>", async () => {
    const answer = await post(FAN_OUT, { e: "interest:tea" });
    expect(answer.body.errors).toBeUndefined();
    const figures = stages(answer.header);
    expect(figures.cedar).toBeGreaterThan(0);
    // The nodes run with SERVER_TIMING=1 too: their stages come through, each within the total.
    for (const stage of ["node-token", "node-ledger", "node-total"]) {
      expect(figures[stage], stage).toBeGreaterThan(0);
      expect(figures[stage], stage).toBeLessThanOrEqual(figures.total as number);
    }
    for (const [name, ms] of Object.entries(figures)) {
      expect(name).toMatch(/^(jwt|cedar|plan|mint|fetch|total|node-[A-Za-z0-9_-]+)$/);
      expect(Number.isFinite(ms)).toBe(true);
    }
  });

  it("times refusals as well, without telling more than the refusal", async () => {
    const answer = await post('{ brand(id: "nobody") { audienceEstimate(expression: "interest:tea") { count } } }');
    expect(answer.status).toBe(200);
    expect(Object.keys(stages(answer.header)).slice(0, 6)).toEqual(["jwt", "cedar", "plan", "mint", "fetch", "total"]);
  });
});
