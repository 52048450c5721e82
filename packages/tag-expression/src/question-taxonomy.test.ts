import { describe, expect, it } from "vitest";
import { type DimensionCardinality, questionTaxonomy } from "./question-taxonomy.js";

describe("questionTaxonomy", () => {
  it("answers the listed cardinalities and MANY for any other dimension", () => {
    const taxonomy = questionTaxonomy([
      ["age", "ONE"],
      ["interest", "MANY"],
    ]);
    expect(taxonomy.cardinalityOf("age")).toBe("ONE");
    expect(taxonomy.cardinalityOf("interest")).toBe("MANY");
    expect(taxonomy.cardinalityOf("region")).toBe("MANY");
  });

  it("takes a map and copies it, so later changes to the map do not change the taxonomy", () => {
    const source = new Map<string, DimensionCardinality>([["age", "ONE"]]);
    const taxonomy = questionTaxonomy(source);
    source.set("age", "MANY");
    source.set("gender", "ONE");
    expect(taxonomy.cardinalityOf("age")).toBe("ONE");
    expect(taxonomy.cardinalityOf("gender")).toBe("MANY");
    expect(Object.isFrozen(taxonomy)).toBe(true);
  });

  it("refuses an unknown cardinality as a programming error", () => {
    const entries = [["age", "SOME"]] as unknown as [string, DimensionCardinality][];
    expect(() => questionTaxonomy(entries)).toThrow(/Unknown cardinality of "age": SOME/);
  });
});
