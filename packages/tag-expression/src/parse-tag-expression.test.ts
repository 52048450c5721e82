import { AppError } from "@brandpool/errors";
import { describe, expect, it } from "vitest";
import { parseTagExpression } from "./parse-tag-expression.js";
import type { TagExpressionErrorReason } from "./tag-expression.errors.js";
import {
  DEFAULT_TAG_EXPRESSION_LIMITS,
  type TagExpression,
  type TagExpressionLimits,
} from "./tag-expression.types.js";

const t = (key: string): TagExpression => {
  const [dimension = "", value = ""] = key.split(":");
  return { kind: "tag", key, dimension, value };
};

function parseError(input: string, limits?: Partial<TagExpressionLimits>): AppError {
  try {
    parseTagExpression(input, limits);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input.slice(0, 50))} to be refused`);
}

function expectRefused(
  input: string,
  reason: TagExpressionErrorReason,
  position: number,
  limits?: Partial<TagExpressionLimits>,
): AppError {
  const error = parseError(input, limits);
  expect(error.code).toBe("BAD_EXPRESSION");
  expect(error.details).toEqual({ position, reason });
  expect(error.message).toContain(`at position ${position}`);
  return error;
}

describe("parseTagExpression", () => {
  it("parses a single tag into its dimension and value", () => {
    expect(parseTagExpression("age:18-24")).toEqual({
      kind: "tag",
      key: "age:18-24",
      dimension: "age",
      value: "18-24",
    });
  });

  it("accepts the value characters real tags use", () => {
    for (const key of ["age:55+", "gender:f", "rfm:3", "life_stage:pregnant", "v2_score:A.b_c-1"]) {
      expect(parseTagExpression(key)).toEqual(t(key));
    }
  });

  it("binds and tighter than or", () => {
    expect(parseTagExpression("a:1 or b:1 and c:1")).toEqual({
      kind: "or",
      operands: [t("a:1"), { kind: "and", operands: [t("b:1"), t("c:1")] }],
    });
    expect(parseTagExpression("a:1 and b:1 or c:1")).toEqual({
      kind: "or",
      operands: [{ kind: "and", operands: [t("a:1"), t("b:1")] }, t("c:1")],
    });
  });

  it("binds not tighter than and", () => {
    expect(parseTagExpression("not a:1 and b:1")).toEqual({
      kind: "and",
      operands: [{ kind: "not", operand: t("a:1") }, t("b:1")],
    });
  });

  it("lets parentheses override precedence", () => {
    expect(parseTagExpression("not (a:1 or b:1) and c:1")).toEqual({
      kind: "and",
      operands: [
        { kind: "not", operand: { kind: "or", operands: [t("a:1"), t("b:1")] } },
        t("c:1"),
      ],
    });
  });

  it("collects a chain of one operator into one n-ary node", () => {
    expect(parseTagExpression("a:1 and b:1 and c:1")).toEqual({
      kind: "and",
      operands: [t("a:1"), t("b:1"), t("c:1")],
    });
  });

  it("keeps explicit nesting of the same operator for normalize to flatten", () => {
    expect(parseTagExpression("(a:1 or b:1) or c:1")).toEqual({
      kind: "or",
      operands: [{ kind: "or", operands: [t("a:1"), t("b:1")] }, t("c:1")],
    });
  });

  it("reads keywords in any case", () => {
    const lower = parseTagExpression("not a:1 and b:1 or c:1");
    expect(parseTagExpression("NOT a:1 AND b:1 OR c:1")).toEqual(lower);
    expect(parseTagExpression("Not a:1 aNd b:1 oR c:1")).toEqual(lower);
  });

  it("accepts any whitespace, including the full-width space, and none around parentheses", () => {
    const expected = parseTagExpression("a:1 and (b:1 or c:1)");
    expect(parseTagExpression("  a:1\tand\n(b:1 or c:1)  ")).toEqual(expected);
    expect(parseTagExpression("a:1\u3000AND\u3000(b:1\u3000or\u3000c:1)")).toEqual(expected);
    expect(parseTagExpression("a:1 and(b:1 or c:1)")).toEqual(expected);
  });

  it("reads a word with a colon as a tag even when its dimension is a keyword", () => {
    expect(parseTagExpression("and:x or not:y")).toEqual({
      kind: "or",
      operands: [t("and:x"), t("not:y")],
    });
  });

  it("accepts nesting up to the depth limit", () => {
    const twelve = `${"(".repeat(12)}a:1${")".repeat(12)}`;
    expect(parseTagExpression(twelve)).toEqual(t("a:1"));
    expect(parseTagExpression(`${"not ".repeat(12)}a:1`)).toMatchObject({ kind: "not" });
  });

  it("accepts exactly the maximum length and number of tags", () => {
    const terms = Array.from({ length: 64 }, (_, i) => `d:${i}`).join(" or ");
    expect(parseTagExpression(terms)).toMatchObject({ kind: "or" });
    const padded = `a:1${" ".repeat(997)}`;
    expect(padded).toHaveLength(1000);
    expect(parseTagExpression(padded)).toEqual(t("a:1"));
  });

  it("has frozen default limits", () => {
    expect(DEFAULT_TAG_EXPRESSION_LIMITS).toEqual({ maxLength: 1000, maxDepth: 12, maxTerms: 64 });
    expect(Object.isFrozen(DEFAULT_TAG_EXPRESSION_LIMITS)).toBe(true);
  });

  it("rejects limits that are not positive integers", () => {
    expect(() => parseTagExpression("a:1", { maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => parseTagExpression("a:1", { maxTerms: Number.NaN })).toThrow(/maxTerms/);
  });
});

describe("parseTagExpression refusals", () => {
  it("refuses an empty or blank expression", () => {
    expectRefused("", "EMPTY", 1);
    expectRefused(" \u3000\t", "EMPTY", 1);
  });

  it("refuses an expression that ends after an operator", () => {
    const error = expectRefused("age:18-24 and", "UNEXPECTED_END", 14);
    expect(error.message).toBe(
      'Unexpected end of expression at position 14: expected a tag, "not" or "("',
    );
    expectRefused("not", "UNEXPECTED_END", 4);
  });

  it("refuses an expression that starts with an operator", () => {
    const error = expectRefused("and x", "UNEXPECTED_TOKEN", 1);
    expect(error.message).toBe('Unexpected "and" at position 1: expected a tag, "not" or "("');
    expectRefused("OR a:1", "UNEXPECTED_TOKEN", 1);
  });

  it("refuses an unclosed parenthesis at the end, naming where it opened", () => {
    const error = expectRefused("(a:b", "UNEXPECTED_END", 5);
    expect(error.message).toBe(
      'Unexpected end of expression at position 5: expected ")" to close "(" at position 1',
    );
  });

  it("refuses a closing parenthesis with nothing to close", () => {
    const error = expectRefused("a:b)", "UNEXPECTED_TOKEN", 4);
    expect(error.message).toBe('Unexpected ")" at position 4: there is no "(" to close');
    expectRefused("()", "UNEXPECTED_TOKEN", 2);
  });

  it("refuses a tag without a value or without a dimension", () => {
    expectRefused("a:", "BAD_TAG", 1);
    expectRefused(":b", "BAD_TAG", 1);
    expectRefused("a:1 and b", "BAD_TAG", 9);
  });

  it("refuses tags whose dimension or value breaks the character rules", () => {
    expectRefused("Age:18-24", "BAD_TAG", 1);
    expectRefused("age:-1", "BAD_TAG", 1);
    expectRefused("a:b:c", "BAD_TAG", 1);
    expectRefused("a:1 and b:'1'", "BAD_TAG", 9);
    expectRefused("a:1 or b:1;drop", "BAD_TAG", 8);
  });

  it("refuses a tag longer than 64 characters", () => {
    const sixtyFour = `d:${"v".repeat(62)}`;
    expect(parseTagExpression(sixtyFour)).toEqual(t(sixtyFour));
    expectRefused(`a:1 or ${sixtyFour}v`, "BAD_TAG", 8);
  });

  it("refuses two tags with no operator between them", () => {
    const error = expectRefused("a:b c:d", "UNEXPECTED_TOKEN", 5);
    expect(error.message).toBe('Unexpected "c:d" at position 5: expected "and", "or" or the end');
    expectRefused("(a:b c:d)", "UNEXPECTED_TOKEN", 6);
  });

  it("counts positions in characters, not UTF-16 units", () => {
    expectRefused("a:1\u3000and\u3000😀", "BAD_TAG", 9);
    expectRefused("😀 and a:1", "BAD_TAG", 1);
    expectRefused("😀x:1 and a:1)", "BAD_TAG", 1);
  });

  it("refuses an expression of 1001 characters before reading it", () => {
    const error = expectRefused(`a:1${" ".repeat(998)}`, "TOO_LONG", 1001);
    expect(error.message).toBe(
      "Expression too long at position 1001: the limit is 1000 characters",
    );
    // Garbage past the limit is not reached: length wins over BAD_TAG.
    expectRefused(`${"a:1 or ".repeat(143)}!!`, "TOO_LONG", 1001);
  });

  it("refuses nesting 13 deep at the opening that crosses the limit", () => {
    expectRefused(`${"(".repeat(13)}a:1${")".repeat(13)}`, "TOO_DEEP", 13);
    expectRefused(`${"not ".repeat(13)}a:1`, "TOO_DEEP", 49);
    expectRefused(`${"not (".repeat(7)}a:1${")".repeat(7)}`, "TOO_DEEP", 31);
  });

  it("refuses the 65th tag occurrence, repeats included", () => {
    const terms = Array.from({ length: 65 }, () => "d:1").join(" or ");
    expectRefused(terms, "TOO_MANY_TERMS", 64 * 7 + 1);
  });

  it("refuses 100k opening parentheses by length, and by depth when length allows", () => {
    const hostile = "(".repeat(100_000);
    expectRefused(hostile, "TOO_LONG", 1001);
    expectRefused(hostile, "TOO_DEEP", 13, { maxLength: 200_000 });
  });

  it("applies custom limits", () => {
    expectRefused("a:1 and b:1", "TOO_MANY_TERMS", 9, { maxTerms: 1 });
    expectRefused("((a:1))", "TOO_DEEP", 2, { maxDepth: 1 });
    expectRefused("(a:1)", "TOO_LONG", 5, { maxLength: 4 });
  });

  it("quotes odd input safely and briefly in the message", () => {
    const error = expectRefused(`x"${"y".repeat(100)}`, "BAD_TAG", 1);
    expect(error.message).toContain('"x\\"yyyy');
    expect(error.message).toContain("…");
    expect(error.message.length).toBeLessThan(200);
  });
});
