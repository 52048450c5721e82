import { describe, expect, it } from "vitest";
import { foldTagExpression } from "./fold-tag-expression.js";
import { parseTagExpression } from "./parse-tag-expression.js";
import { tagKeysOf } from "./tag-keys-of.js";

describe("foldTagExpression", () => {
  it("combines operands bottom-up with the caller's functions", () => {
    const expr = parseTagExpression("a:1 and (b:1 or not c:1)");
    const lisp = foldTagExpression<string>(expr, {
      tag: (key, node) => `${node.dimension}=${node.value}`,
      and: (parts) => `(and ${parts.join(" ")})`,
      or: (parts) => `(or ${parts.join(" ")})`,
      not: (part) => `(not ${part})`,
    });
    expect(lisp).toBe("(and a=1 (or b=1 (not c=1)))");
  });
});

describe("tagKeysOf", () => {
  it("lists each key once, sorted", () => {
    expect(tagKeysOf(parseTagExpression("c:1 and (a:1 or not c:1) or b:1 and a:1"))).toEqual([
      "a:1",
      "b:1",
      "c:1",
    ]);
  });
});
