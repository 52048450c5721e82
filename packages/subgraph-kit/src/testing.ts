import { readFile } from "node:fs/promises";
import type { GraphQLSchema } from "graphql";
import { getMetadataStorage } from "type-graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "@brandpool/policy";
import { fieldsWithoutDecision, policyMapOf } from "./policy-map.js";

export interface SchemaDecisionSuite {
  /** The subgraph's name, for the test titles. */
  subgraph: string;
  resolvers: readonly Function[];
  /** Builds the schema with no services behind it and every call denied. */
  build(): Promise<GraphQLSchema>;
  /** Fields the walk must see, so that an empty result is not vacuous. */
  expectedFields: readonly string[];
  render(): Promise<{ sdl: string; policyMap: string }>;
  files: { sdl: string; policyMap: string };
}

/**
 * The schema walk every subgraph runs: each root field and field resolver states one Cedar
 * action, every action exists in the Cedar schema, and the committed SDL and policy map are
 * what the code renders.
 */
export function describeSchemaDecisions(suite: SchemaDecisionSuite): void {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await suite.build();
  });

  describe(`every resolver of the ${suite.subgraph} subgraph has a decision`, () => {
    it("declares one Cedar action for every root field and field resolver", () => {
      const map = policyMapOf(suite.resolvers);
      expect(fieldsWithoutDecision(schema, suite.resolvers, map)).toEqual([]);
      expect(Object.keys(map)).toEqual(expect.arrayContaining([...suite.expectedFields]));
    });

    it("names only actions of the Cedar schema, on fields the schema has", () => {
      const map = policyMapOf(suite.resolvers);
      for (const [field, action] of Object.entries(map)) {
        expect(ACTIONS, `${field} -> ${action}`).toContain(action);
        const [typeName = "", fieldName = ""] = field.split(".");
        // Duck-typed: the schema's graphql module is not necessarily this file's copy.
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
      expect(fieldsWithoutDecision(schema, suite.resolvers, {})).toEqual(expect.arrayContaining([...suite.expectedFields]));
    });
  });

  describe(`the committed artifacts of the ${suite.subgraph} subgraph`, () => {
    it("match the SDL and policy map the code renders (run `npm run sdl` if not)", async () => {
      const { sdl, policyMap } = await suite.render();
      expect(await readFile(suite.files.sdl, "utf8")).toBe(sdl);
      expect(await readFile(suite.files.policyMap, "utf8")).toBe(policyMap);
    });
  });
}
