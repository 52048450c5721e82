import { describe, expect, it } from "vitest";
import { compileTagExpressionToSql } from "./compile-to-sql.js";
import { parseTagExpression } from "./parse-tag-expression.js";
import type { TagExpression } from "./tag-expression.types.js";

const ids: Record<string, number> = {
  "age:18-24": 7,
  "gender:f": 3,
  "city:sh": 11,
  "vip:gold": 5,
};
const tagParam = (key: string): number => {
  const id = ids[key];
  if (id === undefined) throw new Error(`unknown tag ${key}`);
  return id;
};

describe("compileTagExpressionToSql", () => {
  it("compiles a nested expression to parameterised SQL", () => {
    const expr = parseTagExpression(
      "age:18-24 and (gender:f or not city:sh) and not (vip:gold or city:sh)",
    );
    expect(compileTagExpressionToSql(expr, { column: "m.tag_ids", tagParam })).toEqual({
      text:
        "(m.tag_ids @> ARRAY[$1] AND (m.tag_ids @> ARRAY[$2] OR (NOT m.tag_ids @> ARRAY[$3]))" +
        " AND (NOT (m.tag_ids @> ARRAY[$4] OR m.tag_ids @> ARRAY[$3])))",
      values: [7, 3, 11, 5],
    });
  });

  it("compiles a single tag without parentheses", () => {
    const expr = parseTagExpression("gender:f");
    expect(compileTagExpressionToSql(expr, { column: "tag_ids", tagParam })).toEqual({
      text: "tag_ids @> ARRAY[$1]",
      values: [3],
    });
  });

  it("numbers placeholders from firstParamIndex", () => {
    const expr = parseTagExpression("gender:f or city:sh");
    const options = { column: "tag_ids", tagParam, firstParamIndex: 4 };
    expect(compileTagExpressionToSql(expr, options)).toEqual({
      text: "(tag_ids @> ARRAY[$4] OR tag_ids @> ARRAY[$5])",
      values: [3, 11],
    });
  });

  it("casts placeholders to elementType so untyped parameters match an int[] column", () => {
    const expr = parseTagExpression("gender:f and not city:sh");
    const options = { column: "tag_ids", tagParam, elementType: "int" };
    expect(compileTagExpressionToSql(expr, options)).toEqual({
      text: "(tag_ids @> ARRAY[$1::int] AND (NOT tag_ids @> ARRAY[$2::int]))",
      values: [3, 11],
    });
    expect(() =>
      compileTagExpressionToSql(expr, { column: "tag_ids", tagParam, elementType: "int); drop" }),
    ).toThrow(/Invalid element type/);
  });

  it("never puts tag text in the SQL, even for odd tag values", () => {
    const expr = parseTagExpression("evil:x.-1+ or evil:DROP_TABLE or evil:1--");
    const compiled = compileTagExpressionToSql(expr, {
      column: "tag_ids",
      tagParam: (key) => key,
    });
    expect(compiled.values).toEqual(["evil:x.-1+", "evil:DROP_TABLE", "evil:1--"]);
    expect(compiled.text).toBe(
      "(tag_ids @> ARRAY[$1] OR tag_ids @> ARRAY[$2] OR tag_ids @> ARRAY[$3])",
    );
    for (const fragment of ["evil", "DROP", "x.", "--"]) {
      expect(compiled.text).not.toContain(fragment);
    }
  });

  it("never puts tag text in the SQL for a hand-built node either", () => {
    const forged: TagExpression = {
      kind: "tag",
      key: "a:1'); drop table m; --",
      dimension: "a",
      value: "x",
    };
    const compiled = compileTagExpressionToSql(forged, {
      column: "tag_ids",
      tagParam: (key) => key,
    });
    expect(compiled).toEqual({ text: "tag_ids @> ARRAY[$1]", values: ["a:1'); drop table m; --"] });
  });

  it("reuses the placeholder of a key used twice", () => {
    const expr = parseTagExpression("gender:f and (city:sh or not gender:f)");
    expect(compileTagExpressionToSql(expr, { column: "tag_ids", tagParam })).toEqual({
      text: "(tag_ids @> ARRAY[$1] AND (tag_ids @> ARRAY[$2] OR (NOT tag_ids @> ARRAY[$1])))",
      values: [3, 11],
    });
  });

  it("lets an error from tagParam propagate", () => {
    expect(() =>
      compileTagExpressionToSql(parseTagExpression("nope:1"), { column: "tag_ids", tagParam }),
    ).toThrow("unknown tag nope:1");
  });

  it("rejects a column name that is not a plain identifier", () => {
    const expr = parseTagExpression("gender:f");
    for (const column of ["tag_ids; drop table m", "Tag_ids", '"tag_ids"', "a.b.c", "", "1col"]) {
      expect(() => compileTagExpressionToSql(expr, { column, tagParam })).toThrow(/Invalid column/);
    }
  });

  it("rejects a placeholder start that is not a positive integer", () => {
    const expr = parseTagExpression("gender:f");
    expect(() =>
      compileTagExpressionToSql(expr, { column: "tag_ids", tagParam, firstParamIndex: 0 }),
    ).toThrow(/firstParamIndex/);
  });
});
