import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXED_MESSAGES } from "@brandpool/errors";
import { graphqlRequest } from "@brandpool/stack";
import { gatewayTokenForNode, nodeState } from "./support/node-state.js";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

const ANALYST = { brand: "pieshop", role: "analyst" } as const;

const MEMBERS = "query($e: String) { members(first: 1, expression: $e) { totalCount } }";
const ESTIMATE = "query($brand: ID!, $e: String!) { brand(id: $brand) { audienceEstimate(expression: $e, channel: SMS) { count } } }";
const TAG = 'mutation($e: String) { tagMembers(tag: "interest:tea", expression: $e) { affected } }';
const IMPORT = "mutation($rows: [MemberInput!]!) { importMembers(rows: $rows) { inserted updated } }";

/** Bad expressions, what the parser says about each, and where. */
const BAD_EXPRESSIONS = [
  { text: "age:18-24 and", reason: "UNEXPECTED_END", position: 14 },
  { text: "(age:18-24", reason: "UNEXPECTED_END", position: 11 },
  { text: "age:", reason: "BAD_TAG", position: 1 },
  { text: "age:18-24 xor gender:f", reason: "BAD_TAG", position: 11 },
  { text: ") age:18-24", reason: "UNEXPECTED_TOKEN", position: 1 },
  { text: "", reason: "EMPTY", position: 1 },
  { text: "a".repeat(1_001), reason: "TOO_LONG", position: 1_001 },
  { text: `${"(".repeat(13)}age:18-24${")".repeat(13)}`, reason: "TOO_DEEP", position: 13 },
] as const;

const UNKNOWN = "age:18-24 and (nosuch:tag or foo:bar)";

interface Row {
  externalId?: string | null;
  name?: string | null;
  phone?: string;
  email?: string;
  birthDate?: string;
  joinDate?: string | null;
  tags?: string[];
}

describe("bad input gets a typed error and changes nothing", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const bothNodes = async () => ({ pieshop: await nodeState(stack, "pieshop"), teabar: await nodeState(stack, "teabar") });

  describe("tag expressions", () => {
    it("refuses each malformed expression in members, the own estimate and tagMembers with BAD_EXPRESSION and its position", async () => {
      const before = await bothNodes();
      for (const { text, reason, position } of BAD_EXPRESSIONS) {
        const label = `${reason}: ${JSON.stringify(text.slice(0, 30))}`;
        const members = await stack.ask(ANALYST, MEMBERS, { e: text });
        const estimate = await stack.ask(ANALYST, ESTIMATE, { brand: "pieshop", e: text });
        const tag = await stack.ask(ANALYST, TAG, { e: text });
        for (const result of [members, estimate, tag]) {
          expect(result.errors, label).toHaveLength(1);
          expect(result.errors[0]?.extensions, label).toEqual({ code: "BAD_EXPRESSION", details: { reason, position } });
          expect(result.errors[0]?.message, label).toContain(`position ${position}`);
        }
        expect(members.data, label).toBeNull();
        expect(tag.data, label).toBeNull();
      }
      expect(await bothNodes()).toEqual(before);
    });

    it("refuses unknown tags with UNKNOWN_TAG naming each of them", async () => {
      const before = await bothNodes();
      for (const result of [
        await stack.ask(ANALYST, MEMBERS, { e: UNKNOWN }),
        await stack.ask(ANALYST, ESTIMATE, { brand: "pieshop", e: UNKNOWN }),
        await stack.ask(ANALYST, TAG, { e: UNKNOWN }),
      ]) {
        expect(result.errors).toHaveLength(1);
        expect(result.errors[0]?.extensions?.code).toBe("UNKNOWN_TAG");
        expect((result.errors[0]?.extensions?.details as { tags: string[] }).tags.sort()).toEqual(["foo:bar", "nosuch:tag"]);
        expect(result.errors[0]?.message).toContain("nosuch:tag");
      }
      expect(await bothNodes()).toEqual(before);
    });

    it("gives a bad or unknown expression asked at another brand only its code's fixed text, with no details", async () => {
      const before = await bothNodes();
      for (const { text, reason } of BAD_EXPRESSIONS) {
        const result = await stack.ask(ANALYST, ESTIMATE, { brand: "teabar", e: text });
        expect(result.errors, reason).toEqual([
          { message: FIXED_MESSAGES.BAD_EXPRESSION, path: ["brand", "audienceEstimate"], extensions: { code: "BAD_EXPRESSION" } },
        ]);
      }
      const unknown = await stack.ask(ANALYST, ESTIMATE, { brand: "teabar", e: UNKNOWN });
      expect(unknown.errors).toEqual([
        { message: FIXED_MESSAGES.UNKNOWN_TAG, path: ["brand", "audienceEstimate"], extensions: { code: "UNKNOWN_TAG" } },
      ]);
      expect(await bothNodes()).toEqual(before);
    });
  });

  describe("importMembers", () => {
    const ask = (rows: Row[]) => stack.ask<{ importMembers: { inserted: number; updated: number } }>(ANALYST, IMPORT, { rows });
    const stored = (externalIds: string[]) =>
      stack.sql<{ external_id: string; name: string; phone: string | null }>(
        "pieshop",
        "SELECT external_id, name, phone FROM members WHERE external_id = ANY($1) ORDER BY external_id",
        [externalIds],
      );
    const tagsOf = async (externalId: string) => {
      const result = await stack.ask<{ members: { edges: { node: { externalId: string; tags: string[] } }[] } }>(
        ANALYST,
        'query { members(first: 100, expression: "interest:gaming and interest:pets and interest:outdoors") { edges { node { externalId tags } } } }',
      );
      return result.data?.members.edges.find((edge) => edge.node.externalId === externalId)?.node.tags;
    };

    it("inserts a good batch, and a re-import of a known externalId updates that member in place", async () => {
      const before = await nodeState(stack, "pieshop");
      const first = await ask([
        { externalId: "IMP-1", name: "张伟", phone: "+8613800000001", joinDate: "2024-01-15", tags: ["interest:gaming", "interest:pets", "interest:outdoors"] },
        { externalId: "IMP-2", name: "李娜", email: "li.na@example.com", birthDate: "1990-02-28", joinDate: "2024-02-29" },
        { externalId: "IMP-3", name: "Wang Fang", joinDate: "2023-12-31", tags: [] },
      ]);
      expect(first.errors).toEqual([]);
      expect(first.data?.importMembers).toEqual({ inserted: 3, updated: 0 });
      expect((await nodeState(stack, "pieshop")).members).toBe(before.members + 3);
      expect(await tagsOf("IMP-1")).toEqual(["interest:gaming", "interest:outdoors", "interest:pets"]);

      const again = await ask([
        { externalId: "IMP-1", name: "张伟伟", phone: "+8613900000009", joinDate: "2024-01-15", tags: ["interest:gaming", "interest:pets", "interest:outdoors", "lifecycle:new"] },
      ]);
      expect(again.errors).toEqual([]);
      expect(again.data?.importMembers).toEqual({ inserted: 0, updated: 1 });
      expect((await nodeState(stack, "pieshop")).members).toBe(before.members + 3);
      expect(await stored(["IMP-1"])).toEqual([{ external_id: "IMP-1", name: "张伟伟", phone: "+8613900000009" }]);
      expect(await tagsOf("IMP-1")).toEqual(["interest:gaming", "interest:outdoors", "interest:pets", "lifecycle:new"]);
    });

    it("refuses a batch with bad rows whole, naming each bad row, its field and reason, and writes none of its good rows", async () => {
      const before = await nodeState(stack, "pieshop");
      const result = await ask([
        { externalId: "BATCH-GOOD-1", name: "Good One", joinDate: "2020-01-01" },
        { externalId: "BATCH-2", name: "   ", joinDate: "2020-01-01" },
        { externalId: "BATCH-3", name: "No Plus", phone: "13812345678", joinDate: "2020-01-01" },
        { externalId: "BATCH-4", name: "Bad Mail", email: "not-an-email", joinDate: "2020-01-01" },
        { externalId: "BATCH-5", name: "Feb 30", birthDate: "2025-02-30", joinDate: "2020-01-01" },
        { externalId: "BATCH-6", name: "Odd Tag", joinDate: "2020-01-01", tags: ["interest:tea", "nosuch:tag"] },
        { externalId: "BATCH-GOOD-1", name: "Twice", joinDate: "2020-01-01" },
        { externalId: "BATCH-GOOD-8", name: "Good Eight", joinDate: "2020-01-01" },
      ]);
      expect(result.data).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.extensions?.code).toBe("BAD_INPUT");
      expect(result.errors[0]?.message).toBe("6 of 8 rows are not valid; nothing was imported.");
      expect(result.errors[0]?.extensions?.details).toEqual({
        rows: [
          { row: 2, field: "name", reason: "is required" },
          { row: 3, field: "phone", reason: "must be E.164, e.g. +8613812345678" },
          { row: 4, field: "email", reason: "is not an email address" },
          { row: 5, field: "birthDate", reason: "is not a real calendar date" },
          { row: 6, field: "tags", reason: '"nosuch:tag" is not in the taxonomy' },
          { row: 7, field: "externalId", reason: "repeats row 1" },
        ],
        truncated: false,
      });
      expect(await stored(["BATCH-GOOD-1", "BATCH-GOOD-8"])).toEqual([]);
      expect(await nodeState(stack, "pieshop")).toEqual(before);
    });

    it("refuses a row holding two values of a single-valued dimension, and nothing of its batch is written", async () => {
      const before = await nodeState(stack, "pieshop");
      const result = await ask([
        { externalId: "ONE-1", name: "Two Ages", joinDate: "2020-01-01", tags: ["age:18-24", "age:25-34", "interest:tea"] },
        { externalId: "ONE-2", name: "Two Regions", joinDate: "2020-01-01", tags: ["region:north", "region:east", "region:north"] },
        { externalId: "ONE-3", name: "Many Interests", joinDate: "2020-01-01", tags: ["interest:tea", "interest:coffee", "age:18-24"] },
      ]);
      expect(result.errors[0]?.extensions).toEqual({
        code: "BAD_INPUT",
        details: {
          rows: [
            { row: 1, field: "tags", reason: "holds 2 values of age, which allows one: age:18-24, age:25-34" },
            { row: 2, field: "tags", reason: "holds 2 values of region, which allows one: region:east, region:north" },
          ],
          truncated: false,
        },
      });
      expect(await nodeState(stack, "pieshop")).toEqual(before);
    });

    it("refuses, row by row, what Postgres could not store (year 0000, a NUL in a name) rather than failing as INTERNAL", async () => {
      const before = await nodeState(stack, "pieshop");
      const result = await ask([
        { externalId: "PG-1", name: "Year Zero", birthDate: "0000-01-01", joinDate: "2020-01-01" },
        { externalId: "PG-2", name: "Nul\u0000Byte", joinDate: "2020-01-01" },
      ]);
      expect(result.errors[0]?.extensions).toEqual({
        code: "BAD_INPUT",
        details: {
          rows: [
            { row: 1, field: "birthDate", reason: "must be a date YYYY-MM-DD" },
            { row: 2, field: "name", reason: "may not hold control characters" },
          ],
          truncated: false,
        },
      });
      expect(await nodeState(stack, "pieshop")).toEqual(before);
    });

    it("names each row missing a required field (name, externalId, joinDate, left out or null) in details.rows, and imports none", async () => {
      const before = await nodeState(stack, "pieshop");
      const result = await ask([
        { externalId: "NONAME-GOOD", name: "Fine", joinDate: "2020-01-01" },
        { externalId: "NONAME-2", joinDate: "2020-01-01" },
        { name: "No External Id", joinDate: "2020-01-01" },
        { externalId: "NONAME-4", name: "No Join Date" },
        { externalId: "NONAME-5", name: null, joinDate: null },
      ]);
      expect(result.data).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.message).toBe("4 of 5 rows are not valid; nothing was imported.");
      expect(result.errors[0]?.extensions).toEqual({
        code: "BAD_INPUT",
        details: {
          rows: [
            { row: 2, field: "name", reason: "is required" },
            { row: 3, field: "externalId", reason: "is required" },
            { row: 4, field: "joinDate", reason: "is required" },
            { row: 5, field: "name", reason: "is required" },
            { row: 5, field: "joinDate", reason: "is required" },
          ],
          truncated: false,
        },
      });
      expect(await stored(["NONAME-GOOD", "NONAME-2", "NONAME-4", "NONAME-5"])).toEqual([]);
      expect(await nodeState(stack, "pieshop")).toEqual(before);
    });

    it("refuses 5,001 rows: at the gateway on body size (PAYLOAD_TOO_LARGE, 413), at the node on the batch limit (LIMIT_EXCEEDED)", async () => {
      const before = await nodeState(stack, "pieshop");
      const rows = Array.from({ length: 5_001 }, (_, i) => ({ externalId: `BIG-${i}`, name: "Big Batch", joinDate: "2020-01-01" }));
      // 5,001 rows cannot fit the gateway's 100 kB body limit, which answers first.
      const viaGateway = await stack.ask(ANALYST, IMPORT, { rows });
      expect(viaGateway.status).toBe(413);
      expect(viaGateway.errors).toEqual([{ message: "The request body is larger than 100000 bytes.", extensions: { code: "PAYLOAD_TOO_LARGE" } }]);
      // The node's own bound, reached with a gateway token for it (its body limit is 4 MB).
      const token = await gatewayTokenForNode(stack, "pieshop", "pieshop");
      const atNode = await graphqlRequest(stack.nodes.get("pieshop")?.url ?? "", IMPORT, { token, variables: { rows } });
      expect(atNode.errors).toHaveLength(1);
      expect(atNode.errors[0]?.extensions).toEqual({ code: "LIMIT_EXCEEDED", details: { limit: 5_000 } });
      expect(await stored(["BIG-0", "BIG-5000"])).toEqual([]);
      expect(await nodeState(stack, "pieshop")).toEqual(before);
    });
  });

  // These break a node's database on purpose and restore it; they run last.
  describe("database errors", () => {
    it("turns a database error in the caller's own node into INTERNAL with the fixed message and no SQL, value or stack", async () => {
      await stack.sql("pieshop", "ALTER TABLE members RENAME COLUMN phone TO phone_x");
      try {
        const result = await stack.ask(ANALYST, "{ members(first: 2) { edges { node { id name phone } } } }");
        expect(result.errors).toEqual([{ message: FIXED_MESSAGES.INTERNAL, path: ["members"], extensions: { code: "INTERNAL" } }]);
        expect(result.raw).not.toMatch(/select|from "?members|column|relation/i);
        expect(result.raw).not.toContain("phone_x");
        expect(result.raw).not.toMatch(/\bat \S+ \(|\bat [\w./-]+:\d+/);
        expect(result.raw).not.toMatch(/\/[\w.-]+\/[\w./-]+\.(?:js|ts|mjs)\b|node_modules|file:/);
      } finally {
        await stack.sql("pieshop", "ALTER TABLE members RENAME COLUMN phone_x TO phone");
      }
      const healed = await stack.ask(ANALYST, "{ members(first: 1) { edges { node { phone } } } }");
      expect(healed.errors).toEqual([]);
    });

    it("gives a pieshop caller a database error inside teabar's node as INTERNAL with the fixed message, and teabar writes nothing", async () => {
      const before = await nodeState(stack, "teabar");
      await stack.sql("teabar", "ALTER TABLE privacy_answers RENAME TO privacy_answers_x");
      try {
        const result = await stack.ask(ANALYST, ESTIMATE, { brand: "teabar", e: "age:45-54 and interest:reading" });
        expect(result.errors).toEqual([{ message: FIXED_MESSAGES.INTERNAL, path: ["brand", "audienceEstimate"], extensions: { code: "INTERNAL" } }]);
        expect(result.raw).not.toMatch(/privacy_answers|select|relation|lock/i);
        expect(result.raw).not.toMatch(/\bat \S+ \(|\/[\w.-]+\/[\w./-]+\.(?:js|ts)\b/);
      } finally {
        await stack.sql("teabar", "ALTER TABLE privacy_answers_x RENAME TO privacy_answers");
      }
      expect(await nodeState(stack, "teabar")).toEqual(before);
    });
  });
});
