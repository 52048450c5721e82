import { describe, expect, it } from "vitest";
import { hasOnlyExactNumbers } from "./audit-json.numbers.js";

describe("hasOnlyExactNumbers", () => {
  it.each([
    '{"a": 1, "b": -2, "c": 0.1, "d": 0.0000001, "e": 1.0, "f": -0, "g": 9007199254740991}',
    '{"a": [1.5, 2.25e-3, 1E+2], "b": {"c": 123456.789}}',
    '{"s": "1.00000000000000000001 and 9007199254740993 inside a string", "t": "say \\"99999999999999999999\\""}',
    "{}",
  ])("accepts numbers that a double holds exactly: %s", (json) => {
    expect(hasOnlyExactNumbers(json)).toBe(true);
  });

  it.each([
    '{"a": 1.00000000000000000001}',
    '{"a": 9007199254740993}',
    '{"a": [1, 2, 12345678901234567890]}',
    '{"a": 0.1000000000000000055511151231257827}',
    '{"a": 1e400}',
    '{"a": 1e-400}',
  ])("rejects a number finer than a double: %s", (json) => {
    expect(hasOnlyExactNumbers(json)).toBe(false);
  });
});
