import { describe, expect, it } from "vitest";
import { SINGLE_VALUED_DIMENSIONS, TAXONOMY, TAXONOMY_KEYS } from "./taxonomy.data.js";

describe("TAXONOMY", () => {
  it("spells every dimension, value and key in the tag-expression grammar", () => {
    for (const tag of TAXONOMY) {
      expect(tag.dimension).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(tag.value).toMatch(/^[A-Za-z0-9][A-Za-z0-9_+.-]*$/);
      expect(tag.key).toBe(`${tag.dimension}:${tag.value}`);
    }
  });

  it("has no duplicate keys", () => {
    expect(TAXONOMY_KEYS.size).toBe(TAXONOMY.length);
  });

  it("labels every tag in Chinese and English", () => {
    for (const tag of TAXONOMY) {
      expect(tag.labelZh).toMatch(/[\u4e00-\u9fff]/);
      expect(tag.labelEn).toMatch(/^[A-Z]/);
    }
  });

  it("covers the dimensions and values the demo relies on", () => {
    const values = (dimension: string) => TAXONOMY.filter((t) => t.dimension === dimension).map((t) => t.value);
    expect(values("age")).toEqual(["18-24", "25-34", "35-44", "45-54", "55+"]);
    expect(values("gender")).toEqual(["f", "m"]);
    expect(values("region")).toEqual(["east", "north", "south", "central", "southwest", "northwest", "northeast"]);
    expect(values("lifecycle")).toEqual(["new", "active", "dormant", "churned"]);
    for (const rfm of ["rfm_r", "rfm_f", "rfm_m"]) expect(values(rfm)).toEqual(["1", "2", "3", "4", "5"]);
    expect(values("interest")).toEqual(expect.arrayContaining(["baking", "tea", "coffee", "fashion", "beauty", "fitness", "travel"]));
    for (const dimension of SINGLE_VALUED_DIMENSIONS) expect(values(dimension).length).toBeGreaterThan(1);
  });

  it("labels RFM scores with their letter", () => {
    const r1 = TAXONOMY.find((t) => t.key === "rfm_r:1");
    expect(r1).toMatchObject({ labelZh: "最近消费 R1", labelEn: "Recency 1" });
  });

  it("marks health:pregnant, and only it, as sensitive", () => {
    expect(TAXONOMY.filter((t) => t.sensitive).map((t) => t.key)).toEqual(["health:pregnant"]);
    expect(TAXONOMY.find((t) => t.key === "health:pregnant")?.labelZh).toBe("孕期");
  });

  it("cannot be changed at run time", () => {
    expect(Object.isFrozen(TAXONOMY)).toBe(true);
    expect(TAXONOMY.every((t) => Object.isFrozen(t))).toBe(true);
  });
});
