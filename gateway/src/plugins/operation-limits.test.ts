import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import { GraphQLError, buildSchema, parse, specifiedRules, validate } from "graphql";
import type { ValidationRule } from "graphql";
import { describe, expect, it } from "vitest";
import { SUPERGRAPH_FILE } from "../supergraph/supergraph-files.js";
import { operationCost } from "./operation-cost.js";
import { MAX_TOKENS, OPERATION_COST, OPERATION_LIMITS } from "./operation-limits.js";

// The gateway validates against the supergraph with graphql-armor's rules; the same rules here.
const schema = buildSchema(readFileSync(SUPERGRAPH_FILE, "utf8"));
const rules = new ApolloArmor(OPERATION_LIMITS).protect().validationRules as unknown as ValidationRule[];

function limitErrors(query: string): string[] {
  return validate(schema, parse(query), [...specifiedRules, ...rules]).map((error) => error.message);
}

// The gateway's process loads graphql's CommonJS build (as Apollo does); vitest would hand this
// file the ESM one, another realm for graphql-query-complexity's instanceof checks.
const graphqlCjs = createRequire(import.meta.url)("graphql") as typeof import("graphql");
const gatewaySchema = graphqlCjs.buildSchema(readFileSync(SUPERGRAPH_FILE, "utf8"));

function costOf(query: string, variables: Record<string, unknown> = {}) {
  return operationCost(gatewaySchema, graphqlCjs.parse(query), variables, undefined, OPERATION_COST);
}

const FULL_PAGE = `members(first: 100) {
  totalCount
  edges { cursor node { id externalId name phone email address birthDate joinDate consent { sms email mail } tags } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
}`;

describe("operation limits at the gateway", () => {
  it("admits the README's full page of members at the largest page size", () => {
    const priced = costOf(`{ ${FULL_PAGE} }`);
    expect(priced.kind).toBe("priced");
    expect(priced.kind === "priced" && priced.cost).toBeLessThanOrEqual(OPERATION_COST.maxCost);
    expect(limitErrors(`{ ${FULL_PAGE} }`)).toEqual([]);
  });

  it("refuses two full pages of members in one operation on cost", () => {
    const priced = costOf(`{ a: ${FULL_PAGE} b: ${FULL_PAGE} }`);
    expect(priced.kind === "priced" && priced.cost).toBeGreaterThan(OPERATION_COST.maxCost);
    // Priced once, by useOperationCost: armor's own cost rule (blind to variables) is off.
    expect(limitErrors(`{ a: ${FULL_PAGE} b: ${FULL_PAGE} }`)).toEqual([]);
  });

  it("refuses outright an operation whose fragments expand past the node limit", () => {
    // Ten fragments, each spreading the one before three times: 3^9 viewer fields, in 200 tokens.
    const fragments = Array.from({ length: 10 }, (_, i) => `fragment F${i} on Viewer { ${i === 0 ? "brandId" : `...F${i - 1} ...F${i - 1} ...F${i - 1}`} }`).join(" ");
    expect(costOf(`{ viewer { ...F9 } } ${fragments}`)).toEqual({ kind: "too-large" });
  });

  it("prices first: $f with the variable's value, as the literal", () => {
    const variablePage = FULL_PAGE.replace("members(first: 100)", "members(first: $f)");
    const literal = costOf(`{ ${FULL_PAGE} }`);
    expect(costOf(`query($f: Int) { ${variablePage} }`, { f: 100 })).toEqual(literal);
    expect(costOf(`query($f: Int = 100) { ${variablePage} }`)).toEqual(literal);
    const small = costOf(`query($f: Int) { ${variablePage} }`, { f: 2 });
    expect(small.kind === "priced" && literal.kind === "priced" && small.cost * 50).toBe(literal.kind === "priced" && literal.cost);
  });

  it("prices members without first at the nodes' default page size, not at one row", () => {
    const noFirst = costOf(`{ ${FULL_PAGE.replace("members(first: 100)", "members")} }`);
    const twenty = costOf(`{ ${FULL_PAGE.replace("members(first: 100)", "members(first: 20)")} }`);
    expect(noFirst).toEqual(twenty);
    expect(noFirst.kind === "priced" && noFirst.cost).toBeGreaterThan(OPERATION_COST.maxCost / 10);
  });

  it("reports variables that do not coerce instead of pricing them", () => {
    expect(costOf("query($f: Int) { members(first: $f) { totalCount } }", { f: "many" }).kind).toBe("bad-variables");
  });

  it("refuses 16 aliases and admits 15", () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `v${i}: viewer { brandId }`).join(" ")} }`;
    expect(limitErrors(aliases(15))).toEqual([]);
    expect(limitErrors(aliases(16))).toEqual(["Syntax Error: Aliases limit of 15 exceeded, found 16."]);
  });

  it("refuses an introspection query nested 11 deep, also when the nesting hides in fragments", () => {
    let nested = "name";
    // __type, eight ofType and name: 10 levels.
    for (let level = 0; level < 8; level += 1) nested = `ofType { ${nested} }`;
    expect(limitErrors(`{ __type(name: "Query") { ${nested} } }`)).toEqual([]);
    expect(limitErrors(`{ __type(name: "Query") { ofType { ${nested} } } }`)).toEqual(["Syntax Error: Query depth limit of 10 exceeded, found 11."]);
    const fragments = Array.from({ length: 11 }, (_, i) => `fragment F${i} on __Type { ofType { ${i === 0 ? "name" : `...F${i - 1}`} } }`).join("\n");
    expect(limitErrors(`{ __type(name: "Query") { ...F10 } }\n${fragments}`).some((message) => message.includes("Query depth limit of 10 exceeded"))).toBe(true);
  });

  it("stops parsing a document of 2,001 tokens and parses one of 1,999", () => {
    // `{ viewer {` and `} }` are 4 tokens.
    const fields = (tokens: number) => `{ viewer { ${Array.from({ length: tokens - 4 }, () => "brandId").join(" ")} } }`;
    expect(() => parse(fields(MAX_TOKENS - 1), { maxTokens: MAX_TOKENS })).not.toThrow();
    expect(() => parse(fields(MAX_TOKENS + 1), { maxTokens: MAX_TOKENS })).toThrow(GraphQLError);
  });
});
