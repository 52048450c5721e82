import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";

describe("canonicalJson", () => {
  it("writes RFC 8785 canonical JSON: keys sorted by UTF-16 code units, no whitespace", () => {
    expect(canonicalJson({ b: [1, "二", null], a: { z: true, é: 0.5 }, "€": 1.5e-7 })).toBe(
      '{"a":{"z":true,"é":0.5},"b":[1,"二",null],"€":1.5e-7}',
    );
  });

  it("gives the same text whatever the key order", () => {
    expect(canonicalJson({ x: 1, y: { p: 2, q: 3 } })).toBe(canonicalJson({ y: { q: 3, p: 2 }, x: 1 }));
  });

  it("refuses values that would not survive storage (undefined, NaN, a Date, a NUL)", () => {
    expect(() => canonicalJson({ a: undefined } as never)).toThrow(/not a JSON value/);
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalJson({ a: new Date(0) } as never)).toThrow(/not a JSON value/);
    expect(() => canonicalJson({ a: "x\u0000" })).toThrow(/NUL/);
  });
});
