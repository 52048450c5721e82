import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPrivateKey, mintForwardedToken, serviceAudience } from "@brandpool/tokens";
import type { ForwardedCaller } from "@brandpool/tokens";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// SERVER_TIMING=1 (the benchmark's setting, refused in production) puts the node's stages of a
// request in a W3C Server-Timing header; without it a node sends none (the durations are a
// timing side channel: a count's time grows with the members it matched).

const ANALYST: ForwardedCaller = { kind: "user", subject: "pie-analyst@test", brand: "pieshop", role: "analyst", tokenId: "t-timing" };
const ESTIMATE = `query($representations: [_Any!]!, $expression: String!) {
  _entities(representations: $representations) { ... on Brand { audienceEstimate(expression: $expression) { count repeated } } }
}`;

describe("Server-Timing at a brand node", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ nodeEnv: (brandId) => (brandId === "teabar" ? { SERVER_TIMING: "1" } : undefined) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function estimateAt(brandId: string, expression: string) {
    const key = await importPrivateKey(stack.keys.gateway);
    const token = await mintForwardedToken(key, stack.keys.gateway.kid ?? "gateway", serviceAudience({ kind: "node", brandId }), ANALYST);
    const response = await fetch(stack.nodes.get(brandId)?.url ?? "", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: ESTIMATE, variables: { representations: [{ __typename: "Brand", id: brandId }], expression } }),
    });
    const body = (await response.json()) as { data?: { _entities: [{ audienceEstimate: { repeated: boolean } }] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    return { header: response.headers.get("server-timing"), repeated: body.data?._entities[0].audienceEstimate.repeated };
  }

  const stages = (header: string | null) => Object.fromEntries((header ?? "").split(", ").map((part) => part.split(";dur=") as [string, string]));

  it("names each stage of a new question with its milliseconds, the count apart from the ledger", async () => {
    const { header, repeated } = await estimateAt("teabar", "interest:tea and region:north and gender:f");
    expect(repeated).toBe(false);
    expect(header).toMatch(/^token;dur=\d+\.\d\d, cedar;dur=\d+\.\d\d, ledger;dur=\d+\.\d\d, count;dur=\d+\.\d\d, total;dur=\d+\.\d\d$/);
    const ms = stages(header);
    const sum = ["token", "cedar", "ledger", "count"].reduce((total, stage) => total + Number(ms[stage]), 0);
    expect(sum).toBeLessThanOrEqual(Number(ms.total) + 0.05);
  });

  it("has no count for a stored answer", async () => {
    await estimateAt("teabar", "interest:coffee and region:east");
    const { header, repeated } = await estimateAt("teabar", "interest:coffee and region:east");
    expect(repeated).toBe(true);
    expect(header).toMatch(/^token;dur=\d+\.\d\d, cedar;dur=\d+\.\d\d, ledger;dur=\d+\.\d\d, total;dur=\d+\.\d\d$/);
  });

  it("is absent at a node without SERVER_TIMING", async () => {
    const { header, repeated } = await estimateAt("stylehub", "interest:tea and region:north");
    expect(repeated).toBe(false);
    expect(header).toBeNull();
  });
});
