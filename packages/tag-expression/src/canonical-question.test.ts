import { describe, expect, it } from "vitest";
import { canonicalQuestion } from "./canonical-question.js";
import type { CanonicalQuestion } from "./canonical-question.types.js";
import { parseTagExpression } from "./parse-tag-expression.js";
import { questionTaxonomy } from "./question-taxonomy.js";

const TAXONOMY = questionTaxonomy([
  ["age", "ONE"],
  ["gender", "ONE"],
  ["region", "ONE"],
]);

const canonical = (input: string): CanonicalQuestion =>
  canonicalQuestion(parseTagExpression(input), TAXONOMY);
const form = (input: string): string => canonical(input).form;

/** Every rewrite must have the form of the first. */
function expectOneForm(...inputs: string[]): void {
  const [first = "", ...rest] = inputs;
  for (const input of rest) {
    expect({ input, form: form(input) }).toEqual({ input, form: form(first) });
  }
}

describe("canonicalQuestion", () => {
  it("prints small questions readably, tag keys visible", () => {
    expect(form("interest:tea")).toBe("interest:tea?1:0");
    expect(form("age:25-34")).toBe("age{25-34=1,*=0}");
    expect(form("age:25-34 and interest:tea")).toBe("age{25-34=(interest:tea?1:0),*=0}");
    expect(form("not age:25-34")).toBe("age{25-34=0,*=1}");
    expect(form("age:18-24 or age:25-34")).toBe("age{18-24=1,25-34=1,*=0}");
  });

  it("labels a shared sub-diagram once and refers back to it", () => {
    expect(form("(a:1 and b:1) or c:1")).toBe("a:1?(b:1?1:(#1=c:1?1:0)):#1");
  });

  it("gives operand order, duplicates and nesting one form", () => {
    expectOneForm(
      "(interest:a and interest:b) or age:25-34",
      "age:25-34 or (interest:b and interest:a)",
      "age:25-34 or (interest:b and (interest:a and interest:b)) or age:25-34",
    );
  });

  it("gives double negation and De Morgan one form", () => {
    expectOneForm("interest:a", "not not interest:a", "not not not not interest:a");
    expectOneForm("not (interest:a and gender:f)", "not interest:a or not gender:f");
    expectOneForm("not (interest:a or gender:f)", "not interest:a and not gender:f");
  });

  it("gives distribution one form", () => {
    expectOneForm(
      "interest:a and (interest:b or gender:f)",
      "(interest:a and interest:b) or (interest:a and gender:f)",
    );
    expectOneForm(
      "interest:a or (interest:b and gender:f)",
      "(interest:a or interest:b) and (interest:a or gender:f)",
    );
  });

  it("gives absorption one form", () => {
    expectOneForm("interest:x", "interest:x or (interest:x and interest:y)");
    expectOneForm("interest:x", "interest:x and (interest:x or interest:y)");
    expectOneForm("age:25-34", "age:25-34 or (age:25-34 and interest:y)");
  });

  it("ignores tautology and contradiction padding", () => {
    expectOneForm(
      "interest:x",
      "interest:x and (interest:t or not interest:t)",
      "interest:x and not (interest:t and not interest:t)",
      "interest:x or (interest:t and not interest:t)",
      "(interest:x and interest:t) or (interest:x and not interest:t)",
    );
  });

  it("gives T or (T and x) the form of T", () => {
    const t = "(age:25-34 and interest:tea)";
    expectOneForm(t, `${t} or (${t} and gender:f)`, `${t} and (${t} or region:north)`);
  });

  it("knows a single-valued dimension holds at most one value", () => {
    expectOneForm("age:25-34", "age:25-34 and not age:35-44");
    expectOneForm("age:25-34", "age:25-34 and (not age:35-44 or not age:45-54)");
    expect(canonical("age:25-34 and age:35-44")).toEqual({ kind: "never", form: "never" });
    expect(canonical("age:a or not age:a")).toEqual({ kind: "always", form: "always" });
    expectOneForm("not age:25-34", "not age:25-34 or age:35-44 and not age:35-44");
    expectOneForm("not age:a", "age:b or age:c or not (age:a or age:b or age:c)");
  });

  it("is unchanged by a single-valued dimension's value that makes no difference", () => {
    expectOneForm("age:25-34", "age:25-34 or (age:35-44 and not age:35-44)");
    expectOneForm("gender:f", "gender:f and (age:a or not age:a)");
    expectOneForm("age:a and gender:f", "(age:a and gender:f) or (age:b and gender:f and age:a)");
    expectOneForm("age:a or region:x", "age:a or (region:x and not age:b) or (region:x and age:b)");
  });

  it("does not merge multi-valued tags as if they excluded each other", () => {
    expect(form("interest:a and not interest:b")).not.toBe(form("interest:a"));
    expect(canonical("interest:a and interest:b").kind).toBe("some");
    expect(canonical("interest:a or not interest:b").kind).toBe("some");
    expect(form("age:25-34 and not age:35-44")).toBe(form("age:25-34"));
  });

  it("treats a dimension as multi-valued without a taxonomy or when the taxonomy omits it", () => {
    const expr = parseTagExpression("age:25-34 and not age:35-44");
    const plain = canonicalQuestion(parseTagExpression("age:25-34"));
    expect(canonicalQuestion(expr).form).not.toBe(plain.form);
    expect(canonicalQuestion(parseTagExpression("age:1 and age:2")).kind).toBe("some");
    expect(form("rfm_r:1 and rfm_r:2")).toBe("rfm_r:1?(rfm_r:2?1:0):0");
  });

  it("tells different questions apart", () => {
    const forms = new Set(
      [
        "interest:a",
        "interest:b",
        "not interest:a",
        "interest:a and interest:b",
        "interest:a or interest:b",
        "age:1",
        "age:2",
        "age:1 or age:2",
        "not age:1",
        "age:1 and interest:a",
        "age:1 or interest:a",
      ].map(form),
    );
    expect(forms.size).toBe(11);
  });

  it("says when a question selects nobody, everybody or some", () => {
    expect(canonical("interest:a and not interest:a").kind).toBe("never");
    expect(canonical("interest:a or not interest:a").kind).toBe("always");
    expect(canonical("interest:a").kind).toBe("some");
    expect(canonical("not (age:1 and age:2)")).toEqual({ kind: "always", form: "always" });
  });

  it("orders by code unit, not locale, so the form is the same on every host", () => {
    expect(form("interest:b or interest:B or interest:a")).toBe(
      "interest:B?1:(interest:a?1:(interest:b?1:0))",
    );
  });

  it("refuses a hand-built tag node whose key could pose as an operator", () => {
    const forged = { kind: "tag" as const, key: "a:1?1", dimension: "a", value: "1?1" };
    expect(() => canonicalQuestion(forged)).toThrow(/Malformed tag node/);
    expect(() => canonicalQuestion({ kind: "or", operands: [] })).toThrow(/needs operands/);
  });
});
