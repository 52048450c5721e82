import { describe, expect, it } from "vitest";
import { formatTagExpression } from "./format-tag-expression.js";
import { parseTagExpression } from "./parse-tag-expression.js";
import type { TagExpression } from "./tag-expression.types.js";

const format = (input: string): string => formatTagExpression(parseTagExpression(input));

describe("formatTagExpression", () => {
  it("prints keywords lowercase with single spaces", () => {
    expect(format("  a:1\u3000AND   NOT b:1   Or c:1 ")).toBe("(a:1 and not b:1) or c:1");
  });

  it("parenthesises an and inside an or and an or inside an and", () => {
    expect(format("a:1 and b:1 or c:1")).toBe("(a:1 and b:1) or c:1");
    expect(format("(a:1 or b:1) and c:1")).toBe("(a:1 or b:1) and c:1");
  });

  it("parenthesises the operand of not only when it is an and or an or", () => {
    expect(format("not (a:1 and b:1)")).toBe("not (a:1 and b:1)");
    expect(format("not (a:1)")).toBe("not a:1");
    expect(format("not not a:1")).toBe("not not a:1");
  });

  it("drops redundant parentheses around tags and whole expressions", () => {
    expect(format("((a:1)) and ((b:1 or c:1))")).toBe("a:1 and (b:1 or c:1)");
  });

  it("keeps parentheses that preserve unflattened nesting of one operator", () => {
    expect(format("(a:1 and b:1) and c:1")).toBe("(a:1 and b:1) and c:1");
  });

  it("refuses hand-built nodes that would print as something else", () => {
    const forged: TagExpression = {
      kind: "tag",
      key: "a:1 or b:1",
      dimension: "a",
      value: "1 or b:1",
    };
    expect(() => formatTagExpression(forged)).toThrow(/Malformed tag node/);
    const mismatched: TagExpression = { kind: "tag", key: "a:1", dimension: "a", value: "2" };
    expect(() => formatTagExpression(mismatched)).toThrow(/Malformed tag node/);
    expect(() => formatTagExpression({ kind: "or", operands: [] })).toThrow(/needs operands/);
  });
});
