import { describe, expect, it } from "vitest";
import { formatTagExpression } from "./format-tag-expression.js";
import { normalizeTagExpression } from "./normalize-tag-expression.js";
import { parseTagExpression } from "./parse-tag-expression.js";

const normalForm = (input: string): string =>
  formatTagExpression(normalizeTagExpression(parseTagExpression(input)));

describe("normalizeTagExpression", () => {
  it("sorts operands so their order does not matter", () => {
    expect(normalForm("gender:f and age:18-24")).toBe("age:18-24 and gender:f");
    expect(normalForm("c:1 or a:1 or b:1")).toBe(normalForm("b:1 or c:1 or a:1"));
  });

  it("removes duplicate operands", () => {
    expect(normalForm("a:1 and b:1 and a:1")).toBe("a:1 and b:1");
    expect(normalForm("(a:1 or b:1) and (b:1 or a:1)")).toBe("a:1 or b:1");
  });

  it("flattens nesting of the same operator", () => {
    expect(normalForm("(a:1 and (b:1 and c:1)) and d:1")).toBe("a:1 and b:1 and c:1 and d:1");
    expect(normalForm("a:1 or (b:1 or (c:1 or d:1))")).toBe("a:1 or b:1 or c:1 or d:1");
  });

  it("collapses an and or or left with one operand", () => {
    expect(normalForm("a:1 and a:1")).toBe("a:1");
    expect(normalForm("(a:1 or a:1) and b:1")).toBe("a:1 and b:1");
  });

  it("cancels double negation", () => {
    expect(normalForm("not not a:1")).toBe("a:1");
    expect(normalForm("not not not a:1")).toBe("not a:1");
    expect(normalForm("not (not (a:1 or b:1))")).toBe("a:1 or b:1");
  });

  it("gives one normal form for order, duplicates and nesting together", () => {
    expect(normalForm("(gender:f and age:18-24) or city:sh or (age:18-24 and gender:f)")).toBe(
      normalForm("city:sh or (age:18-24 and gender:f)"),
    );
    expect(normalForm("x:1 and ((z:1 or y:1) and x:1)")).toBe("x:1 and (y:1 or z:1)");
  });

  it("keeps expressions apart that mean different things", () => {
    expect(normalForm("a:1 and b:1")).not.toBe(normalForm("a:1 or b:1"));
    expect(normalForm("not a:1 and b:1")).not.toBe(normalForm("not (a:1 and b:1)"));
    expect(normalForm("a:1 and (b:1 or c:1)")).not.toBe(normalForm("(a:1 and b:1) or c:1"));
    expect(normalForm("age:18-24")).not.toBe(normalForm("age:18"));
    expect(normalForm("not a:1")).not.toBe(normalForm("a:1"));
  });

  it("sorts by code unit, independent of locale", () => {
    expect(normalForm("d:b or d:B or d:a or d:A")).toBe("d:A or d:B or d:a or d:b");
  });

  it("is idempotent", () => {
    for (const input of [
      "a:1",
      "not not (b:1 and a:1 and (c:1 and a:1))",
      "(a:1 or b:1) and (not c:1 or (d:1 and e:1)) and a:1",
    ]) {
      const once = normalizeTagExpression(parseTagExpression(input));
      expect(normalizeTagExpression(once)).toEqual(once);
    }
  });

  it("parses its printed form back to the same tree", () => {
    const normal = normalizeTagExpression(
      parseTagExpression("not (b:1 or a:1) and (c:1 and (e:1 or d:1 and f:1))"),
    );
    expect(parseTagExpression(formatTagExpression(normal))).toEqual(normal);
  });

  it("does not change its input", () => {
    const parsed = parseTagExpression("b:1 and a:1 and (a:1 and c:1)");
    const copy = structuredClone(parsed);
    normalizeTagExpression(parsed);
    expect(parsed).toEqual(copy);
  });
});
