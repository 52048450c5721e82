import { describe, expect, it } from "vitest";
import { inlineParameters, sqlLiteral } from "./inline-parameters.js";

describe("inlineParameters", () => {
  it("puts each parameter in as a quoted literal, casts kept, $10 not read as $1 and a 0", () => {
    const values = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "ten"];
    expect(inlineParameters("SELECT $1::uuid, $10, $2", values)).toBe("SELECT 'a'::uuid, 'ten', 'b'");
  });

  it("quotes what would end the literal or escape out of it (bad input: quotes, backslashes, a second statement)", () => {
    const hostile = "x'); DROP TABLE members; --\\";
    const sql = inlineParameters("SELECT $1", [hostile]);
    // pg's escapeLiteral doubles the quote and, with a backslash in the value, writes an E'' literal.
    expect(sql).toBe(`SELECT  E'x''); DROP TABLE members; --\\\\'`);
  });

  it("writes null and undefined as NULL, dates as ISO text, objects as JSON", () => {
    expect(sqlLiteral(null)).toBe("NULL");
    expect(sqlLiteral(undefined)).toBe("NULL");
    expect(sqlLiteral(new Date("2026-12-03T01:02:03.004Z"))).toBe("'2026-12-03T01:02:03.004Z'");
    expect(sqlLiteral({ a: "it's" })).toBe(`'{"a":"it''s"}'`);
    expect(sqlLiteral(42)).toBe("'42'");
  });

  it("refuses text with literals of its own and placeholders without a value (bad input)", () => {
    expect(() => inlineParameters("SELECT '$1'", ["x"])).toThrow(/without literals/);
    expect(() => inlineParameters("SELECT $$ $1 $$", ["x"])).toThrow(/without literals/);
    expect(() => inlineParameters("SELECT $2", ["x"])).toThrow(/no value for \$2/);
    expect(() => inlineParameters("SELECT $0", ["x"])).toThrow(/no value for \$0/);
  });
});
