import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeState } from "./support/node-state.js";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

const ANALYST = { brand: "pieshop", role: "analyst" } as const;

/**
 * A probe that writes when it runs: a new question at teabar stores an answer, spends budget and
 * appends audit events. Every refused operation below carries one, so "nothing executed" is
 * read in teabar's database.
 */
const probe = (expression: string) => `e: brand(id: "teabar") { audienceEstimate(expression: "${expression}", channel: EMAIL) { count } }`;
const TAG_ALL = 'mutation { tagMembers(tag: "interest:pets", expression: "not interest:pets") { affected } }';

interface RawAnswer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } | undefined;
  text: string;
}

describe("operations are bounded at the gateway", () => {
  let stack: TestStack;
  let token: string;
  beforeAll(async () => {
    stack = await startTestStack();
    token = await stack.token(ANALYST);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const post = async (body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Promise<RawAnswer> => {
    const response = await fetch(stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
      body,
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
    const text = await response.text();
    let parsed: RawAnswer["body"];
    try {
      parsed = JSON.parse(text) as RawAnswer["body"];
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, text };
  };
  const postQuery = (query: string, variables: Record<string, unknown> = {}) => post(JSON.stringify({ query, variables }));

  const states = async () => ({ pieshop: await nodeState(stack, "pieshop"), teabar: await nodeState(stack, "teabar") });
  // One HTTP status per code: LIMIT_EXCEEDED (the operation's shape) is 400, PAYLOAD_TOO_LARGE 413.
  const expectRefused = (answer: RawAnswer, message: RegExp, code: "LIMIT_EXCEEDED" | "PAYLOAD_TOO_LARGE" = "LIMIT_EXCEEDED") => {
    expect(answer.status, answer.text).toBe(code === "LIMIT_EXCEEDED" ? 400 : 413);
    expect(answer.body?.data ?? null).toBeNull();
    expect(answer.body?.errors).toHaveLength(1);
    expect(answer.body?.errors?.[0]?.extensions).toEqual({ code });
    expect(answer.body?.errors?.[0]?.message).toMatch(message);
  };

  /** Runs the refusals and reads both nodes before and after: nothing may have run. */
  const changesNothing = async (refusals: () => Promise<void>) => {
    const before = await states();
    await refusals();
    expect(await states()).toEqual(before);
  };

  it("refuses an operation nested deeper than 10 levels, also through nested fragments", async () => {
    await changesNothing(async () => {
      let nested = "name";
      for (let level = 0; level < 12; level += 1) nested = `ofType { ${nested} }`;
      expectRefused(await postQuery(`{ ${probe("age:18-24 and interest:travel")} __type(name: "Query") { fields { type { ${nested} } } } }`), /^Query depth limit of 10 exceeded/);
      const fragments = Array.from({ length: 12 }, (_, i) => `fragment F${i} on __Type { ofType { ${i === 0 ? "name" : `...F${i - 1}`} } }`).join(" ");
      const answer = await postQuery(`{ ${probe("age:18-24 and interest:music")} __type(name: "Query") { ...F11 } } ${fragments}`);
      expect(answer.status).toBe(400);
      expect(answer.body?.errors?.every((error) => error.extensions?.code === "LIMIT_EXCEEDED")).toBe(true);
      expect(answer.body?.errors?.some((error) => error.message.startsWith("Query depth limit of 10 exceeded"))).toBe(true);
    });
  });

  it("refuses 20 aliases of viewer", async () => {
    await changesNothing(async () => {
      const aliases = Array.from({ length: 20 }, (_, i) => `v${i}: viewer { brandId }`).join(" ");
      expectRefused(await postQuery(`{ ${probe("age:25-34 and interest:travel")} ${aliases} }`), /^Aliases limit of 15 exceeded, found 21\.$/);
    });
  });

  it("refuses more than 20 directives", async () => {
    await changesNothing(async () => {
      const fields = Array.from({ length: 21 }, () => "brandId @include(if: true)").join(" ");
      expectRefused(await postQuery(`{ ${probe("age:35-44 and interest:travel")} viewer { ${fields} } }`), /^Directives limit of 20 exceeded, found 21\.$/);
    });
  });

  it("refuses a document over the token limit, as a client error rather than a server fault", async () => {
    await changesNothing(async () => {
      const fields = Array.from({ length: 2_100 }, () => "brandId").join(" ");
      expectRefused(await postQuery(`{ ${probe("age:45-54 and interest:travel")} viewer { ${fields} } }`), /^Token limit of 2000 exceeded\.$/);
    });
  });

  it("refuses two full pages of members in one operation on cost", async () => {
    await changesNothing(async () => {
      const page = "members(first: 100) { totalCount edges { cursor node { id externalId name phone email address birthDate joinDate consent { sms email mail } tags } } pageInfo { hasNextPage endCursor } }";
      expectRefused(await postQuery(`{ ${probe("age:55+ and interest:travel")} a: ${page} b: ${page} }`), /^Query Cost limit of 10000 exceeded, found [\d.]+\.$/);
    });
  });

  it("refuses pages sized by a variable like the literal form: 15 aliases of members(first: $f) with f = 100", async () => {
    const page = "members(first: $f) { totalCount edges { cursor node { id externalId name phone email address birthDate joinDate consent { sms email mail } tags } } pageInfo { hasNextPage endCursor } }";
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `m${i}: ${page}`).join(" ");
    // As reported: 15 aliases (within the alias limit), 1,500 full rows in one answer.
    expectRefused(await postQuery(`query($f: Int) { ${aliases(15)} }`, { f: 100 }), /^Query Cost limit of 10000 exceeded, found [\d.]+\.$/);
    await changesNothing(async () => {
      expectRefused(await postQuery(`query($f: Int) { ${probe("age:55+ and interest:pets")} ${aliases(2)} }`, { f: 100 }), /^Query Cost limit of 10000 exceeded/);
      // The default value of the variable counts too.
      expectRefused(await postQuery(`query($f: Int = 100) { ${probe("age:55+ and interest:pets")} ${aliases(2)} }`), /^Query Cost limit of 10000 exceeded/);
    });
  });

  it("refuses a page size variable that is not an Int with BAD_INPUT, running nothing", async () => {
    await changesNothing(async () => {
      const answer = await postQuery(`query($f: Int) { ${probe("age:55+ and interest:music")} members(first: $f) { totalCount } }`, { f: "all" });
      expect(answer.status, answer.text).toBe(400);
      expect(answer.body?.data ?? null).toBeNull();
      expect(answer.body?.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_INPUT"]);
    });
  });

  it("answers a page sized by a small variable", async () => {
    const answer = await postQuery("query($f: Int!) { members(first: $f) { totalCount edges { node { id name } } } }", { f: 3 });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body?.errors).toBeUndefined();
    const members = (answer.body?.data as { members: { totalCount: number; edges: unknown[] } }).members;
    expect(members.edges).toHaveLength(3);
    expect(members.totalCount).toBeGreaterThan(3);
  });

  it("answers a root query with a client variable named representations as a root fetch on the caller's own node", async () => {
    const literal = await postQuery('{ members(first: 2, expression: "interest:tea") { totalCount edges { node { id } } } }');
    expect(literal.body?.errors).toBeUndefined();
    const before = await states();
    const answer = await postQuery("query($representations: String) { members(first: 2, expression: $representations) { totalCount edges { node { id } } } }", {
      representations: "interest:tea",
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body?.errors).toBeUndefined();
    expect(answer.body?.data).toEqual(literal.body?.data);
    expect(await states()).toEqual(before);
  });

  it("runs a mutation with a client variable named representations on the caller's own node only", async () => {
    const listed = await postQuery('{ members(first: 2, expression: "not interest:coffee") { edges { node { id } } } }');
    const ids = (listed.body?.data as { members: { edges: { node: { id: string } }[] } }).members.edges.map((edge) => edge.node.id);
    expect(ids).toHaveLength(2);
    const before = await states();
    const answer = await postQuery('mutation($representations: [ID!]) { tagMembers(tag: "interest:coffee", ids: $representations) { affected } }', {
      representations: ids,
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body?.errors).toBeUndefined();
    expect(answer.body?.data).toEqual({ tagMembers: { affected: 2 } });
    const after = await states();
    expect(after.pieshop.membersChecksum).not.toBe(before.pieshop.membersChecksum);
    expect(after.teabar).toEqual(before.teabar);
  });

  it("refuses a batched HTTP request (a JSON array), even of one operation", async () => {
    await changesNothing(async () => {
      const batch = [{ query: TAG_ALL }, { query: `{ ${probe("age:18-24 and interest:pets")} }` }];
      expectRefused(await post(JSON.stringify(batch)), /^Batched requests are not accepted/);
      expectRefused(await post(JSON.stringify([{ query: TAG_ALL }])), /^Batched requests are not accepted/);
    });
  });

  it("refuses a body over 100 kB, declared or streamed without a length, and still answers", async () => {
    await changesNothing(async () => {
      const padding = "x".repeat(120_000);
      const declared = await postQuery(TAG_ALL, { padding });
      expectRefused(declared, /^The request body is larger than 100000 bytes\.$/, "PAYLOAD_TOO_LARGE");

      // Chunked: the limit trips while reading, which once reset the connection instead of answering.
      const encoder = new TextEncoder();
      const parts = [`{"query":${JSON.stringify(TAG_ALL)},"variables":{"padding":"`, ...Array.from({ length: 12 }, () => "x".repeat(10_000)), '"}}'];
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = parts.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(encoder.encode(next));
        },
      });
      const streamed = await post(stream);
      expectRefused(streamed, /^The request body is larger than 100000 bytes\.$/, "PAYLOAD_TOO_LARGE");
    });
  });

  it("runs the same probe and mutation when they come within the limits (so the checks above can fail)", async () => {
    const before = await states();
    const ran = await postQuery(`{ ${probe("age:18-24 and interest:travel")} }`);
    expect(ran.status).toBe(200);
    expect(ran.body?.errors).toBeUndefined();
    const after = await nodeState(stack, "teabar");
    expect(after.privacyAnswers).toBe(before.teabar.privacyAnswers + 1);
    expect(after.auditEvents).toBeGreaterThan(before.teabar.auditEvents);
    const tagged = await postQuery(TAG_ALL);
    expect(tagged.status).toBe(200);
    expect((await nodeState(stack, "pieshop")).membersChecksum).not.toBe(before.pieshop.membersChecksum);
  });
});
