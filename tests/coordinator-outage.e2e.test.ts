import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// DESIGN.md "Scale": the gateway keeps serving the routes it last read when the coordinator is
// down, for a bounded time. Here the bound is 12 s (the default is 10 minutes) and the routing
// table's TTL 2 s, so "past the old 5 s cache" and "past the bound" both fit in one test file.
const MAX_STALE_MS = 12_000;
const TTL_MS = 2_000;

const PIESHOP_ANALYST = { brand: "pieshop", role: "analyst" } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codes = (answer: { errors: { extensions?: { code?: string } }[] }) => answer.errors.map((error) => error.extensions?.code);

const MEMBERS = "{ members(first: 2) { totalCount edges { node { id } } } }";
const estimate = (expression: string) =>
  `{ brand(id: "teabar") { audienceEstimate(expression: "${expression}", channel: SMS) { count belowThreshold } } }`;

describe("the coordinator going down", () => {
  let stack: TestStack;
  // Taken just before the last request answered with the coordinator up: the table in use was
  // read at most one TTL before it, so it must serve until MAX_STALE_MS - TTL_MS after it.
  let lastRead = 0;
  beforeAll(async () => {
    stack = await startTestStack({ gatewayEnv: { ROUTING_MAX_STALE_MS: String(MAX_STALE_MS), ROUTING_TTL_MS: String(TTL_MS) } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("leaves own-brand members and estimates at other nodes answering past the old 5 s cache", async () => {
    const members = await stack.ask<{ members: { totalCount: number } }>(PIESHOP_ANALYST, MEMBERS);
    expect(members.errors).toEqual([]);
    // The estimate before the outage: teabar's node has synced its pool view and answers.
    lastRead = Date.now();
    expect((await stack.ask(PIESHOP_ANALYST, estimate("interest:tea"))).errors).toEqual([]);

    await stack.coordinator.stop();
    await sleep(6_000);

    const ownMembers = await stack.ask<{ members: { totalCount: number } }>(PIESHOP_ANALYST, MEMBERS);
    expect(ownMembers.status, ownMembers.raw).toBe(200);
    expect(ownMembers.errors).toEqual([]);
    expect(ownMembers.data?.members.totalCount).toBe(members.data?.members.totalCount);

    // `brand(id)` is a coordinator root field; the plan's first fetch asks it only for the key,
    // which the gateway answers from the routing table it last read. A new question, so the node
    // really computes it (a stored answer would prove less).
    const answered = await stack.ask<{ brand: { audienceEstimate: { count: number | null; belowThreshold: boolean } } | null }>(
      PIESHOP_ANALYST,
      estimate("interest:tea and not interest:coffee"),
    );
    expect(answered.status, answered.raw).toBe(200);
    expect(answered.errors).toEqual([]);
    expect(typeof answered.data?.brand?.audienceEstimate.belowThreshold).toBe("boolean");
    // An unknown brand is still NOT_FOUND, as the coordinator would say.
    const unknown = await stack.ask<{ brand: unknown }>(PIESHOP_ANALYST, '{ brand(id: "nosuchbrand") { audienceEstimate(expression: "interest:tea", channel: SMS) { count } } }');
    expect(codes(unknown)).toEqual(["NOT_FOUND"]);
    expect(unknown.data?.brand ?? null).toBeNull();
    expect(Date.now() - lastRead).toBeLessThan(MAX_STALE_MS - TTL_MS);
  });

  it("answers UNAVAILABLE for what needs the coordinator itself, not 401 or INTERNAL", async () => {
    expect(lastRead).toBeGreaterThan(0);
    for (const query of ["{ viewer { brandId } }", "{ tags { key } }", '{ brand(id: "teabar") { name } }', '{ brand(id: "teabar") { name audienceEstimate(expression: "interest:tea", channel: SMS) { count } } }']) {
      const answer = await stack.ask(PIESHOP_ANALYST, query);
      expect(codes(answer), `${query}: ${answer.raw}`).toEqual(["UNAVAILABLE"]);
    }
    expect(Date.now() - lastRead).toBeLessThan(MAX_STALE_MS - TTL_MS);
  });

  it("stops trusting the old table after the staleness bound, then recovers with the coordinator", async () => {
    expect(lastRead).toBeGreaterThan(0);
    const refused = await eventually(async () => {
      const answer = await stack.ask(PIESHOP_ANALYST, MEMBERS);
      return answer.status === 200 ? undefined : answer;
    }, MAX_STALE_MS + 5_000);
    expect(Date.now() - lastRead).toBeGreaterThanOrEqual(MAX_STALE_MS - TTL_MS);
    expect(refused.status, refused.raw).toBe(503);
    expect(codes(refused)).toEqual(["UNAVAILABLE"]);
    expect(codes(await stack.ask(PIESHOP_ANALYST, estimate("interest:tea")))).toEqual(["UNAVAILABLE"]);

    await stack.restartCoordinator();
    const back = await eventually(async () => {
      const answer = await stack.ask<{ members: { totalCount: number } }>(PIESHOP_ANALYST, MEMBERS);
      return answer.errors.length === 0 ? answer : undefined;
    });
    expect(back.data?.members.totalCount).toBeGreaterThan(0);
    expect((await stack.ask(PIESHOP_ANALYST, "{ viewer { brandId } }")).data).toEqual({ viewer: { brandId: "pieshop" } });
  });
});
