import { describe, expect, it } from "vitest";
import { evaluateTagExpression } from "./evaluate-tag-expression.js";
import { parseTagExpression } from "./parse-tag-expression.js";

const matches = (input: string, tags: string[]): boolean =>
  evaluateTagExpression(parseTagExpression(input), (key) => tags.includes(key));

describe("evaluateTagExpression", () => {
  it("follows the truth tables of and, or and not", () => {
    const rows: [boolean, boolean][] = [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ];
    for (const [a, b] of rows) {
      const tags = [...(a ? ["a:1"] : []), ...(b ? ["b:1"] : [])];
      expect(matches("a:1 and b:1", tags)).toBe(a && b);
      expect(matches("a:1 or b:1", tags)).toBe(a || b);
      expect(matches("not a:1", tags)).toBe(!a);
      expect(matches("not a:1 and b:1", tags)).toBe(!a && b);
      expect(matches("not (a:1 and b:1)", tags)).toBe(!(a && b));
    }
  });

  it("applies precedence", () => {
    expect(matches("a:1 or b:1 and c:1", ["a:1"])).toBe(true);
    expect(matches("(a:1 or b:1) and c:1", ["a:1"])).toBe(false);
  });

  it("stops asking once the answer is known", () => {
    const asked: string[] = [];
    evaluateTagExpression(parseTagExpression("a:1 and b:1"), (key) => {
      asked.push(key);
      return false;
    });
    expect(asked).toEqual(["a:1"]);
  });
});
