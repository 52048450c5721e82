import { readFile } from "node:fs/promises";
import type { GraphQLSchema } from "graphql";
import { getMetadataStorage } from "type-graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "@brandpool/policy";
import { fieldsWithoutDecision, policyMapOf } from "@brandpool/service";
import { POLICY_MAP_FILE, SDL_FILE, renderCoordinatorArtifacts } from "./print-sdl.js";
import { COORDINATOR_RESOLVERS, buildCoordinatorSchema } from "./schema.js";

// Built like print-sdl.ts does: no services behind it, every call denied.
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildCoordinatorSchema({ container: { get: () => undefined }, authChecker: () => false });
});

describe("every resolver of the coordinator subgraph has a decision", () => {
  it("declares one Cedar action for every root field and field resolver", () => {
    const map = policyMapOf([...COORDINATOR_RESOLVERS]);
    expect(fieldsWithoutDecision(schema, [...COORDINATOR_RESOLVERS], map)).toEqual([]);
    // Not vacuous: the walk saw queries and mutations of every resolver class.
    expect(Object.keys(map)).toEqual(
      expect.arrayContaining(["Query.viewer", "Query.brands", "Query.tags", "Query.routingTable", "Query.verifyAuditChain", "Mutation.registerBrand", "Mutation.recordNodeEvents", "Mutation.upsertTag"]),
    );
  });

  it("names only actions of the Cedar schema, on fields the schema has", () => {
    const map = policyMapOf([...COORDINATOR_RESOLVERS]);
    for (const [field, action] of Object.entries(map)) {
      expect(ACTIONS, `${field} -> ${action}`).toContain(action);
      const [typeName = "", fieldName = ""] = field.split(".");
      // Duck-typed: the schema's graphql module is not this file's copy, so instanceof fails.
      const fields = (schema.getType(typeName) as { getFields?: () => Record<string, unknown> } | undefined)?.getFields?.() ?? {};
      expect(fields[fieldName], `${field} is not in the schema`).toBeDefined();
    }
  });

  it("computes no field in an object type's own method, where no decision could be declared", () => {
    // `@Field` on a method runs code with no `@Authorized`; such fields belong in a resolver.
    const internal = getMetadataStorage().fieldResolvers.filter((field) => field.kind === "internal");
    expect(internal.map((field) => `${field.target.name}.${field.schemaName}`)).toEqual([]);
  });

  it("finds a field without a decision (the walk can fail)", () => {
    expect(fieldsWithoutDecision(schema, [...COORDINATOR_RESOLVERS], {})).toEqual(expect.arrayContaining(["Query.viewer", "Mutation.registerBrand"]));
  });
});

describe("the committed artifacts of the coordinator subgraph", () => {
  it("match the SDL and policy map the code renders (run `npm run sdl` if not)", async () => {
    const { sdl, policyMap } = await renderCoordinatorArtifacts();
    expect(await readFile(SDL_FILE, "utf8")).toBe(sdl);
    expect(await readFile(POLICY_MAP_FILE, "utf8")).toBe(policyMap);
  });
});
