import { readFile } from "node:fs/promises";
import type { GraphQLSchema } from "graphql";
import { getMetadataStorage } from "type-graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "@brandpool/policy";
import { fieldsWithoutDecision, policyMapOf } from "@brandpool/service";
import { POLICY_MAP_FILE, SDL_FILE, renderBrandArtifacts } from "./print-sdl.js";
import { BRAND_RESOLVERS, buildBrandSchema } from "./schema.js";

// Built like print-sdl.ts does: no services behind it, every call denied.
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildBrandSchema({ brandId: "sdl", container: { get: () => undefined }, authChecker: () => false });
});

describe("every resolver of the brand subgraph has a decision", () => {
  it("declares one Cedar action for every root field and field resolver", () => {
    const map = policyMapOf([...BRAND_RESOLVERS]);
    expect(fieldsWithoutDecision(schema, [...BRAND_RESOLVERS], map)).toEqual([]);
    // Not vacuous: the walk saw the node's root fields and its Brand field resolvers.
    expect(Object.keys(map)).toEqual(
      expect.arrayContaining(["Query.members", "Mutation.importMembers", "Mutation.tagMembers", "Mutation.untagMembers", "Brand.audienceEstimate", "Brand.verifyAuditChain"]),
    );
  });

  it("names only actions of the Cedar schema, on fields the schema has", () => {
    const map = policyMapOf([...BRAND_RESOLVERS]);
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
    expect(fieldsWithoutDecision(schema, [...BRAND_RESOLVERS], {})).toEqual(
      expect.arrayContaining(["Query.members", "Mutation.importMembers", "Brand.audienceEstimate"]),
    );
  });
});

describe("the committed artifacts of the brand subgraph", () => {
  it("match the SDL and policy map the code renders (run `npm run sdl` if not)", async () => {
    const { sdl, policyMap } = await renderBrandArtifacts();
    expect(await readFile(SDL_FILE, "utf8")).toBe(sdl);
    expect(await readFile(POLICY_MAP_FILE, "utf8")).toBe(policyMap);
  });
});
