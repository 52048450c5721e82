import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevTokenClaims } from "@brandpool/stack";
import { nodeState } from "./support/node-state.js";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// What the gateway does with the parts of GraphQL over HTTP it does not serve as such:
// subscriptions (refused as the caller's mistake) and automatic persisted queries (Apollo's
// protocol, with the store kept per brand).

const PIESHOP = { brand: "pieshop", role: "analyst" } as const;
const TEABAR = { brand: "teabar", role: "analyst" } as const;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

interface Answer {
  status: number;
  cacheControl: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

describe("the gateway's request protocol", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ members: 200 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const post = async (claims: DevTokenClaims, body: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await stack.token(claims)}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, cacheControl: response.headers.get("cache-control"), body: (await response.json()) as Answer["body"] };
  };
  const byHash = (claims: DevTokenClaims, query: string) => post(claims, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
  const register = (claims: DevTokenClaims, query: string) => post(claims, { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
  const states = async () => ({ pieshop: await nodeState(stack, "pieshop"), teabar: await nodeState(stack, "teabar") });

  describe("Server-Timing", () => {
    it("is not sent without SERVER_TIMING=1 (gateway-server-timing.e2e.test.ts: with it)", async () => {
      const response = await fetch(stack.gatewayUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await stack.token(PIESHOP)}` },
        body: JSON.stringify({ query: "{ members(first: 1) { edges { node { id } } } }" }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("server-timing")).toBeNull();
    });
  });

  describe("subscriptions", () => {
    it("refuses a subscription with BAD_INPUT and HTTP 400, not INTERNAL, and runs nothing", async () => {
      const before = await states();
      for (const query of [
        "subscription { viewer { brandId } }",
        'subscription Watch { brand(id: "teabar") { audienceEstimate(expression: "interest:tea", channel: SMS) { count } } }',
      ]) {
        const answer = await post(PIESHOP, { query });
        expect({ query, status: answer.status, body: answer.body }).toEqual({
          query,
          status: 400,
          body: { errors: [{ message: "Subscriptions are not supported.", extensions: { code: "BAD_INPUT" } }] },
        });
      }
      expect(await states()).toEqual(before);
    });
  });

  describe("automatic persisted queries", () => {
    it("answers an unknown hash with the protocol's PERSISTED_QUERY_NOT_FOUND, then runs the query once the client sent it", async () => {
      const query = "{ viewer { brandId role } }";
      const unknown = await byHash(PIESHOP, query);
      expect(unknown).toEqual({
        status: 200,
        cacheControl: "private, no-cache, must-revalidate",
        body: { errors: [{ message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] },
      });
      const registered = await register(PIESHOP, query);
      expect(registered.body).toEqual({ data: { viewer: { brandId: "pieshop", role: "analyst" } } });
      const hit = await byHash(PIESHOP, query);
      expect([hit.status, hit.body]).toEqual([200, { data: { viewer: { brandId: "pieshop", role: "analyst" } } }]);
    });

    it("keeps the store per brand: a hash pieshop registered is unknown to teabar's and the platform's callers", async () => {
      const query = '{ members(first: 1, expression: "interest:baking") { totalCount } }';
      const registered = await register(PIESHOP, query);
      expect(registered.body.errors).toBeUndefined();
      expect(await byHash({ brand: "pieshop", role: "admin" }, query)).toMatchObject({ status: 200, body: { data: registered.body.data } });

      const before = await states();
      for (const claims of [TEABAR, { brand: "stylehub", role: "analyst" }, { role: "auditor" }] as const) {
        const answer = await byHash(claims, query);
        expect({ claims, answer: answer.body }).toEqual({ claims, answer: { errors: [{ message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] } });
      }
      expect(await states()).toEqual(before);
      // teabar may register the same text for itself; it then runs as teabar's own query.
      const teabarOwn = await register(TEABAR, query);
      const teabarHit = await byHash(TEABAR, query);
      expect(teabarHit.body).toEqual(teabarOwn.body);
      expect(teabarHit.body.data).toEqual({ members: { totalCount: expect.any(Number) } });
    });

    it("refuses a hash that is not the query's, or another protocol version, with BAD_INPUT, and registers nothing", async () => {
      const query = "{ viewer { subject } }";
      const mismatch = await post(PIESHOP, { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256("{ viewer { role } }") } } });
      const version = await post(PIESHOP, { query, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } } });
      const notHex = await post(PIESHOP, { extensions: { persistedQuery: { version: 1, sha256Hash: "../../etc/passwd" } } });
      for (const answer of [mismatch, version, notHex]) {
        expect([answer.status, answer.body.data, answer.body.errors?.map((error) => error.extensions?.code)]).toEqual([400, undefined, ["BAD_INPUT"]]);
      }
      expect((await byHash(PIESHOP, "{ viewer { role } }")).body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    });
  });
});
