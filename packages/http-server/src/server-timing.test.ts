import { ApolloServer } from "@apollo/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveGraphQL } from "./serve-http.js";
import type { HttpService } from "./serve-http.js";
import { ServerTimings, timed } from "./server-timing.js";
import type { StageTimings } from "./server-timing.js";

interface Context {
  timings: StageTimings | null;
}

const typeDefs = "type Query { slow: Int }";
const resolvers = {
  Query: {
    slow: (_root: unknown, _args: unknown, context: Context) =>
      timed(context.timings, "ledger", async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return 1;
      }),
  },
};

async function start(serverTiming: boolean): Promise<HttpService> {
  const apollo = new ApolloServer<Context>({ typeDefs, resolvers });
  await apollo.start();
  return serveGraphQL<Context>({ apollo, port: 0, maxBodyBytes: 10_000, serverTiming, context: async (_req, timings) => ({ timings }) });
}

const ask = (url: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ slow }" }) });

describe("Server-Timing", () => {
  let on: HttpService;
  let off: HttpService;
  beforeAll(async () => {
    [on, off] = await Promise.all([start(true), start(false)]);
  });
  afterAll(async () => {
    await Promise.all([on?.close(), off?.close()]);
  });

  it("sends the stages the request timed and its total, in milliseconds with 2 decimals, when on", async () => {
    const response = await ask(on.url);
    expect(await response.json()).toEqual({ data: { slow: 1 } });
    const header = response.headers.get("server-timing") ?? "";
    expect(header).toMatch(/^ledger;dur=\d+\.\d\d, total;dur=\d+\.\d\d$/);
    const [ledger, total] = [...header.matchAll(/dur=([\d.]+)/g)].map((match) => Number(match[1]));
    expect(ledger).toBeGreaterThanOrEqual(4);
    expect(total).toBeGreaterThanOrEqual(ledger as number);
  });

  it("sends no header when off (the default)", async () => {
    const response = await ask(off.url);
    expect(await response.json()).toEqual({ data: { slow: 1 } });
    expect(response.headers.get("server-timing")).toBeNull();
  });

  it("adds up a stage timed twice and lists stages in a fixed order", () => {
    const timings = new ServerTimings();
    timings.add("count", 1.004);
    timings.add("token", 0.5);
    timings.add("count", 2);
    expect(timings.header()).toMatch(/^token;dur=0\.50, count;dur=3\.00, total;dur=\d+\.\d\d$/);
  });
});
