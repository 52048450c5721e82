import { describe, expect, it } from "vitest";
import { GraphQLCallError } from "../../api/graphql.js";
import { offsetOf, policyProblems } from "./policy-problems.js";

describe("Cedar's problems as the rules page shows them", () => {
  it("reads the problems of an INVALID_POLICY, and only of that code", () => {
    const problems = [{ message: "unexpected token", help: null, policyId: "x", line: 2, column: 5 }];
    expect(policyProblems(new GraphQLCallError("INVALID_POLICY", "unexpected token (line 2, column 5)", { code: "INVALID_POLICY", details: { problems } }))).toEqual(problems);
    // Bad input: an INVALID_POLICY without details still shows its message, with no position.
    expect(policyProblems(new GraphQLCallError("INVALID_POLICY", "not valid"))).toEqual([{ message: "not valid", help: null, policyId: null, line: null, column: null }]);
    expect(policyProblems(new GraphQLCallError("FORBIDDEN", "no"))).toBeNull();
    expect(policyProblems(new Error("boom"))).toBeNull();
  });

  it("turns a line and column into the caret's offset, clamped to the text", () => {
    const text = "ab\ncdef\ng";
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 2, 3)).toBe(5);
    expect(text[offsetOf(text, 3, 1)]).toBe("g");
    // Bad input: a column past the line's end, and a line past the text's.
    expect(offsetOf(text, 1, 99)).toBe(2);
    expect(offsetOf(text, 9, 1)).toBe(text.length);
  });
});
