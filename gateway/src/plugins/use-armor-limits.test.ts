import { readFileSync } from "node:fs";
import { buildSchema, parse, specifiedRules, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { SUPERGRAPH_FILE } from "../supergraph/supergraph-files.js";
import { useArmorLimits } from "./use-armor-limits.js";

const schema = buildSchema(readFileSync(SUPERGRAPH_FILE, "utf8"));
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `v${i}: viewer { brandId }`).join(" ")} }`;

function errors(query: string, rules: ReturnType<typeof useArmorLimits>["validationRules"]): string[] {
  return validate(schema, parse(query), [...specifiedRules, ...rules]).map((error) => error.message);
}

describe("useArmorLimits", () => {
  it("gives Apollo Server the default limits' rules: 15 aliases pass, 16 do not", () => {
    const { validationRules } = useArmorLimits();
    expect(errors(aliases(15), validationRules)).toEqual([]);
    expect(errors(aliases(16), validationRules)).toEqual(["Syntax Error: Aliases limit of 15 exceeded, found 16."]);
  });

  it("takes other limits", () => {
    const { validationRules } = useArmorLimits({ maxAliases: { n: 2 } });
    expect(errors(aliases(3), validationRules)).toEqual(["Syntax Error: Aliases limit of 2 exceeded, found 3."]);
  });

  it("adds armor's field-suggestion blocking as a plugin, and no token plugin (the parser counts tokens)", () => {
    // The default limits switch armor's token rule off; with it on there would be a second plugin.
    expect(useArmorLimits().plugins).toHaveLength(1);
    expect(useArmorLimits({ maxTokens: { enabled: true } }).plugins).toHaveLength(2);
  });
});
