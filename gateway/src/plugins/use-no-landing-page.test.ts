import { ApolloServer, HeaderMap } from "@apollo/server";
import type { ApolloServerPlugin } from "@apollo/server";
import { describe, expect, it } from "vitest";
import { useNoLandingPage } from "./use-no-landing-page.js";

async function browserGet(plugins: ApolloServerPlugin[]): Promise<{ status: number; html: boolean }> {
  const apollo = new ApolloServer({ typeDefs: "type Query { a: Int }", plugins, stopOnTerminationSignals: false });
  await apollo.start();
  try {
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: "GET", headers: new HeaderMap([["accept", "text/html"]]), search: "", body: undefined },
      context: async () => ({}),
    });
    const body = response.body.kind === "complete" ? response.body.string : "";
    return { status: response.status ?? 200, html: body.includes("<html") || body.includes("<!DOCTYPE") };
  } finally {
    await apollo.stop();
  }
}

describe("useNoLandingPage", () => {
  it("answers a browser's GET without a landing page", async () => {
    expect((await browserGet([useNoLandingPage()])).html).toBe(false);
  });

  it("is what stops the landing page (Apollo Server serves one without it)", async () => {
    expect(await browserGet([])).toEqual({ status: 200, html: true });
  });
});
