import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

describe("the platform, end to end through the gateway", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("tells a signed-in analyst who they are and lists the pool's brands and taxonomy", async () => {
    const result = await stack.ask<{ viewer: { brandId: string; role: string }; brands: { id: string }[]; tags: { key: string; sensitive: boolean }[] }>(
      { brand: "pieshop", role: "analyst" },
      "{ viewer { brandId role } brands { id name } tags { key dimension value labelZh labelEn sensitive } }",
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.viewer).toEqual({ brandId: "pieshop", role: "analyst" });
    expect(result.data?.brands.map((brand) => brand.id).sort()).toEqual(["pieshop", "stylehub", "teabar"]);
    expect(result.data?.tags.find((tag) => tag.key === "health:pregnant")?.sensitive).toBe(true);
  });

  it("lists the caller's own members with personal data, a page at a time", async () => {
    const first = await stack.ask<{ members: { totalCount: number; edges: { node: { id: string; phone: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      { brand: "pieshop", role: "analyst" },
      "{ members(first: 5) { totalCount edges { node { id name phone email tags } } pageInfo { hasNextPage endCursor } } }",
    );
    expect(first.errors).toEqual([]);
    expect(first.data?.members.totalCount).toBe(2_000);
    expect(first.data?.members.edges).toHaveLength(5);
    expect(first.data?.members.edges[0]?.node.phone).toMatch(/^\+86\d{11}$/);
    const next = await stack.ask<{ members: { edges: { node: { id: string } }[] } }>(
      { brand: "pieshop", role: "analyst" },
      "query($after: String) { members(first: 5, after: $after) { edges { node { id } } } }",
      { after: first.data?.members.pageInfo.endCursor },
    );
    const firstIds = new Set(first.data?.members.edges.map((edge) => edge.node.id));
    expect(next.data?.members.edges).toHaveLength(5);
    expect(next.data?.members.edges.some((edge) => firstIds.has(edge.node.id))).toBe(false);
  });

  it("answers an estimate at a partner brand through its privacy layer", async () => {
    const result = await stack.ask<{ brand: { audienceEstimate: { count: number | null; margin95: number; threshold: number } } }>(
      { brand: "pieshop", role: "analyst" },
      '{ brand(id: "teabar") { audienceEstimate(expression: "age:18-24 or age:25-34", channel: SMS) { count belowThreshold threshold margin95 } } }',
    );
    expect(result.errors).toEqual([]);
    expect(result.data?.brand.audienceEstimate.margin95).toBe(30);
    expect(result.data?.brand.audienceEstimate.threshold).toBe(50);
    expect(result.data?.brand.audienceEstimate.count).toBeGreaterThan(50);
  });
});
