import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TAXONOMY } from "@brandpool/demo-data";
import { nodeState } from "./support/node-state.js";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

const ANALYST = { brand: "pieshop", role: "analyst" } as const;

const TAG_BY_EXPRESSION = "mutation($tag: String!, $e: String) { tagMembers(tag: $tag, expression: $e) { affected } }";
const UNTAG_BY_EXPRESSION = "mutation($tag: String!, $e: String) { untagMembers(tag: $tag, expression: $e) { affected } }";
const TAG_BY_IDS = "mutation($tag: String!, $ids: [ID!], $e: String) { tagMembers(tag: $tag, ids: $ids, expression: $e) { affected } }";
const UNTAG_BY_IDS = "mutation($tag: String!, $ids: [ID!]) { untagMembers(tag: $tag, ids: $ids) { affected } }";

/** The README's page of members, every field, at the largest page size. */
const FULL_PAGE = `query($e: String, $after: String) {
  members(first: 100, after: $after, expression: $e) {
    totalCount
    edges { cursor node { id externalId name phone email address birthDate joinDate consent { sms email mail } tags } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Page {
  members: {
    totalCount: number;
    edges: { cursor: string; node: { id: string; externalId: string; tags: string[] } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

describe("members: tagging and paging", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Members whose tags include all of `has` and none of `lacks`, counted in SQL. */
  const countInSql = async (has: string[], lacks: string[] = []) => {
    const [row] = await stack.sql<{ n: number }>(
      "pieshop",
      `SELECT count(*)::int AS n FROM members m
        WHERE m.tag_ids @> (SELECT coalesce(array_agg(id), '{}') FROM tag_dictionary WHERE key = ANY($1))
          AND NOT m.tag_ids && (SELECT coalesce(array_agg(id), '{}') FROM tag_dictionary WHERE key = ANY($2))`,
      [has, lacks],
    );
    return row?.n ?? -1;
  };
  const totalOf = async (expression: string) =>
    (await stack.ask<{ members: { totalCount: number } }>(ANALYST, "query($e: String) { members(expression: $e) { totalCount } }", { e: expression })).data?.members
      .totalCount;
  const firstIds = async (brand: string, count: number, expression: string) => {
    const result = await stack.ask<Page>({ brand, role: "analyst" }, "query($n: Int, $e: String) { members(first: $n, expression: $e) { edges { node { id externalId tags } } } }", {
      n: count,
      e: expression,
    });
    return result.data?.members.edges.map((edge) => edge.node) ?? [];
  };

  describe("tagMembers and untagMembers", () => {
    it("tags by expression only the matching members that lack the tag, and untags them all again", async () => {
      const expression = "age:18-24 and gender:f";
      const lacking = await countInSql(["age:18-24", "gender:f"], ["interest:gaming"]);
      const matching = await countInSql(["age:18-24", "gender:f"]);
      expect(lacking).toBeGreaterThan(0);
      expect(lacking).toBeLessThan(matching);

      const tagged = await stack.ask<{ tagMembers: { affected: number } }>(ANALYST, TAG_BY_EXPRESSION, { tag: "interest:gaming", e: expression });
      expect(tagged.errors).toEqual([]);
      expect(tagged.data?.tagMembers.affected).toBe(lacking);
      expect(await totalOf(`${expression} and interest:gaming`)).toBe(matching);
      const again = await stack.ask<{ tagMembers: { affected: number } }>(ANALYST, TAG_BY_EXPRESSION, { tag: "interest:gaming", e: expression });
      expect(again.data?.tagMembers.affected).toBe(0);

      const untagged = await stack.ask<{ untagMembers: { affected: number } }>(ANALYST, UNTAG_BY_EXPRESSION, { tag: "interest:gaming", e: expression });
      expect(untagged.data?.untagMembers.affected).toBe(matching);
      expect(await totalOf(`${expression} and interest:gaming`)).toBe(0);
    });

    it("tags and untags the members given by Relay id, and the tags show in members", async () => {
      // The first three members (by position, so the same three come back after the change).
      const firstThree = async () => (await stack.ask<Page>(ANALYST, "{ members(first: 3) { edges { node { id externalId tags } } } }")).data?.members.edges.map((edge) => edge.node) ?? [];
      const chosen = await firstThree();
      expect(chosen).toHaveLength(3);
      const ids = chosen.map((member) => member.id);
      // A tag of a multi-valued dimension: adding it keeps every other tag (see the next test for single-valued ones).
      const tag = TAXONOMY.find((entry) => !entry.sensitive && entry.cardinality === "MANY" && chosen.every((member) => !member.tags.includes(entry.key)))?.key ?? "none";
      const tagged = await stack.ask<{ tagMembers: { affected: number } }>(ANALYST, TAG_BY_IDS, { tag, ids });
      expect(tagged.errors).toEqual([]);
      expect(tagged.data?.tagMembers.affected).toBe(3);
      expect(await firstThree()).toEqual(chosen.map((member) => ({ ...member, tags: [...member.tags, tag].sort() })));

      const untagged = await stack.ask<{ untagMembers: { affected: number } }>(ANALYST, UNTAG_BY_IDS, { tag, ids });
      expect(untagged.data?.untagMembers.affected).toBe(3);
      expect(await firstThree()).toEqual(chosen);
    });

    it("replaces a member's value of a single-valued dimension when tagging it with another", async () => {
      const ages = async (expression: string) =>
        (await stack.ask<Page>(ANALYST, "query($e: String!) { members(first: 100, expression: $e) { edges { node { id externalId tags } } } }", { e: expression })).data?.members.edges.map((edge) => edge.node) ?? [];
      const young = await ages("age:18-24 and interest:gaming");
      expect(young.length).toBeGreaterThan(0);
      const tagged = await stack.ask<{ tagMembers: { affected: number } }>(ANALYST, TAG_BY_IDS, { tag: "age:25-34", ids: young.map((member) => member.id) });
      expect(tagged.data?.tagMembers.affected).toBe(young.length);
      const after = await ages("age:25-34 and interest:gaming");
      for (const member of young) {
        const now = after.find((other) => other.id === member.id);
        expect(now?.tags.filter((key) => key.startsWith("age:"))).toEqual(["age:25-34"]);
        expect(now?.tags.filter((key) => !key.startsWith("age:"))).toEqual(member.tags.filter((key) => !key.startsWith("age:")));
      }
      expect(await ages("age:18-24 and interest:gaming")).toEqual([]);
    });

    it("repairs a member that holds two values of a single-valued dimension when tagged with one of them", async () => {
      // Loaded before the dimension was known to be single-valued: written behind the API's back.
      const [ids] = await stack.sql<{ a: number; b: number }>("pieshop", "SELECT (SELECT id FROM tag_dictionary WHERE key = 'age:45-54') AS a, (SELECT id FROM tag_dictionary WHERE key = 'age:55+') AS b");
      await stack.sql("pieshop", "INSERT INTO members (external_id, name, join_date, tag_ids) VALUES ('TWO-AGES', 'Two Ages', '2020-01-01', $1::int[])", [[ids?.a, ids?.b]]);
      const tagged = await stack.ask<{ tagMembers: { affected: number } }>(ANALYST, 'mutation { tagMembers(tag: "age:55+", expression: "age:45-54 and age:55+") { affected } }');
      expect(tagged.errors).toEqual([]);
      expect(tagged.data?.tagMembers.affected).toBe(1);
      const [row] = await stack.sql<{ tags: number[] }>("pieshop", "SELECT tag_ids AS tags FROM members WHERE external_id = 'TWO-AGES'");
      expect(row?.tags).toEqual([ids?.b]);
    });

    it("refuses ids of another brand's members with BAD_INPUT and changes nothing", async () => {
      const own = (await firstIds("pieshop", 2, "not interest:music")).map((member) => member.id);
      const teabars = (await firstIds("teabar", 1, "not interest:music")).map((member) => member.id);
      const before = { pieshop: await nodeState(stack, "pieshop"), teabar: await nodeState(stack, "teabar") };
      const result = await stack.ask(ANALYST, TAG_BY_IDS, { tag: "interest:music", ids: [...own, ...teabars] });
      expect(result.data).toBeNull();
      expect(result.errors[0]?.extensions?.code).toBe("BAD_INPUT");
      expect(await nodeState(stack, "pieshop")).toEqual(before.pieshop);
      expect(await nodeState(stack, "teabar")).toEqual(before.teabar);
    });

    it("refuses unknown member ids with NOT_FOUND naming them, and tags none of the known ones", async () => {
      const own = (await firstIds("pieshop", 2, "not interest:music")).map((member) => member.id);
      const unknown = Buffer.from("Member:pieshop:00000000-0000-4000-8000-000000000000", "utf8").toString("base64url");
      const before = await nodeState(stack, "pieshop");
      const result = await stack.ask(ANALYST, TAG_BY_IDS, { tag: "interest:music", ids: [...own, unknown] });
      expect(result.errors[0]?.extensions).toEqual({ code: "NOT_FOUND", details: { ids: [unknown] } });
      const untag = await stack.ask(ANALYST, UNTAG_BY_IDS, { tag: "interest:music", ids: [unknown] });
      expect(untag.errors[0]?.extensions?.code).toBe("NOT_FOUND");
      expect(await nodeState(stack, "pieshop")).toEqual(before);
    });

    it("refuses both expression and ids, neither, no ids, and a malformed or unknown tag, changing nothing", async () => {
      const own = (await firstIds("pieshop", 2, "not interest:music")).map((member) => member.id);
      const before = await nodeState(stack, "pieshop");
      const both = await stack.ask(ANALYST, TAG_BY_IDS, { tag: "interest:music", ids: own, e: "age:18-24" });
      expect(both.errors[0]?.extensions?.code).toBe("BAD_INPUT");
      const neither = await stack.ask(ANALYST, TAG_BY_IDS, { tag: "interest:music" });
      expect(neither.errors[0]?.extensions?.code).toBe("BAD_INPUT");
      const none = await stack.ask(ANALYST, TAG_BY_IDS, { tag: "interest:music", ids: [] });
      expect(none.errors[0]?.extensions).toEqual({ code: "BAD_INPUT", details: { field: "ids" } });
      const malformed = await stack.ask(ANALYST, TAG_BY_IDS, { tag: `interest:music or ${"x".repeat(500)}`, ids: own });
      expect(malformed.errors[0]?.extensions).toEqual({ code: "BAD_INPUT", details: { field: "tag" } });
      expect(malformed.raw).not.toContain("x".repeat(100));
      const unknown = await stack.ask(ANALYST, TAG_BY_IDS, { tag: "nosuch:tag", ids: own });
      expect(unknown.errors[0]?.extensions).toEqual({ code: "UNKNOWN_TAG", details: { tags: ["nosuch:tag"] } });
      expect(await nodeState(stack, "pieshop")).toEqual(before);
    });
  });

  describe("paging", () => {
    it("refuses first above 100 with LIMIT_EXCEEDED, and first 0, a garbage cursor and a cursor past any member with BAD_INPUT", async () => {
      const before = await nodeState(stack, "pieshop");
      const tooLarge = await stack.ask(ANALYST, "query($n: Int) { members(first: $n) { totalCount } }", { n: 101 });
      expect(tooLarge.data).toBeNull();
      expect(tooLarge.errors.map((error) => error.extensions)).toEqual([{ code: "LIMIT_EXCEEDED", details: { field: "first", limit: 100 } }]);
      for (const [label, first, after] of [
        ["first: 0", 0, null],
        ["first: -1", -1, null],
        ["garbage after", 10, "garbage!"],
        ["cursor past int4", 10, Buffer.from("c:9999999999").toString("base64url")],
      ] as const) {
        const result = await stack.ask(ANALYST, "query($n: Int, $after: String) { members(first: $n, after: $after) { totalCount } }", { n: first, after });
        expect(result.data, label).toBeNull();
        expect(result.errors, label).toHaveLength(1);
        expect(result.errors[0]?.extensions, label).toEqual({ code: "BAD_INPUT", details: { field: after ? "after" : "first" } });
      }
      expect(await nodeState(stack, "pieshop")).toEqual(before);
    });

    const walk = async (expression: string | null) => {
      const visited: string[] = [];
      const pages: Page["members"][] = [];
      let after: string | null = null;
      for (let page = 0; page < 50; page += 1) {
        const result: { errors: unknown[]; data: Page | null } = await stack.ask<Page>(ANALYST, FULL_PAGE, { e: expression, after });
        expect(result.errors).toEqual([]);
        const members: Page["members"] | undefined = result.data?.members;
        if (!members) throw new Error("no page");
        pages.push(members);
        visited.push(...members.edges.map((edge) => edge.node.id));
        if (!members.pageInfo.hasNextPage) break;
        after = members.pageInfo.endCursor;
      }
      return { visited, pages };
    };

    it("visits every matching member exactly once with first: 100, totalCount agreeing, hasNextPage false only on the last page", async () => {
      const expected = await countInSql(["gender:f"]);
      expect(expected).toBeGreaterThan(200);
      const { visited, pages } = await walk("gender:f");
      expect(visited).toHaveLength(expected);
      expect(new Set(visited).size).toBe(expected);
      expect(pages).toHaveLength(Math.ceil(expected / 100));
      for (const page of pages) expect(page.totalCount).toBe(expected);
      expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual(pages.map((_, index) => index < pages.length - 1));
      expect(pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual(pages.map((_, index) => index > 0));
      expect(pages.every((page) => page.edges.every((edge) => edge.node.tags.includes("gender:f")))).toBe(true);
    });

    it("walks all of a brand's members in pages of 100", async () => {
      const [row] = await stack.sql<{ n: number }>("pieshop", "SELECT count(*)::int AS n FROM members");
      const { visited, pages } = await walk(null);
      expect(visited).toHaveLength(row?.n ?? -1);
      expect(new Set(visited).size).toBe(row?.n);
      expect(pages.at(-1)?.pageInfo.hasNextPage).toBe(false);
    });
  });
});
