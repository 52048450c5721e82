import { describe, expect, it } from "vitest";
import { parseTagExpression } from "./parse-tag-expression.js";
import { keyedQuestion, questionKey } from "./question-key.js";
import { questionTaxonomy } from "./question-taxonomy.js";

const key = (input: string, channel?: string | null): string =>
  questionKey(parseTagExpression(input), channel);

const TAXONOMY = questionTaxonomy([
  ["age", "ONE"],
  ["gender", "ONE"],
]);

describe("questionKey", () => {
  it("holds the version, the channel and the canonical form", () => {
    expect(key("gender:f and age:18-24", "SMS")).toBe("v2|channel=SMS|age:18-24?(gender:f?1:0):0");
  });

  it("uses * when there is no channel", () => {
    expect(key("a:1")).toBe("v2|channel=*|a:1?1:0");
    expect(key("a:1", null)).toBe("v2|channel=*|a:1?1:0");
  });

  it("is the same for expressions differing only in order, duplicates or nesting", () => {
    const base = key("(a:1 and b:1) or c:1", "EMAIL");
    expect(key("c:1 or (b:1 and a:1)", "EMAIL")).toBe(base);
    expect(key("c:1 or (b:1 and a:1 and b:1) or c:1", "EMAIL")).toBe(base);
    expect(key("(c:1 or ((a:1 and (b:1))))", "EMAIL")).toBe(base);
  });

  it("is the same for rewrites that keep the meaning but not the shape", () => {
    const base = key("(a:1 and b:1) or c:1", "EMAIL");
    expect(key("(a:1 or c:1) and (b:1 or c:1)", "EMAIL")).toBe(base);
    expect(key("not (not c:1 and not (a:1 and b:1))", "EMAIL")).toBe(base);
    expect(key("((a:1 and b:1) or c:1) and (x:1 or not x:1)", "EMAIL")).toBe(base);
  });

  it("differs between channels", () => {
    const channels = ["SMS", "EMAIL", "DIRECT_MAIL", undefined];
    const keys = new Set(channels.map((channel) => key("a:1", channel)));
    expect(keys.size).toBe(4);
  });

  it("differs between channels for the same rewritten question too", () => {
    const sms = key("not (not a:1 or not b:1)", "SMS");
    const email = key("b:1 and a:1", "EMAIL");
    const none = key("a:1 and (b:1 or (a:1 and not a:1))");
    expect(new Set([sms, email, none]).size).toBe(3);
    expect(sms).toBe(key("a:1 and b:1", "SMS"));
  });

  it("treats channel names case-insensitively so a case change is not a new question", () => {
    expect(key("a:1", "sms")).toBe(key("a:1", "SMS"));
  });

  it("differs between expressions with different meanings", () => {
    expect(key("a:1 and b:1", "SMS")).not.toBe(key("a:1 or b:1", "SMS"));
  });

  it("rejects a channel that could blur the key's parts", () => {
    expect(() => key("a:1", "SMS|x")).toThrow(/Invalid channel/);
    expect(() => key("a:1", "")).toThrow(/Invalid channel/);
    expect(() => key("a:1", "*")).toThrow(/Invalid channel/);
  });

  it("applies the taxonomy's single-valued dimensions when given one", () => {
    const expr = parseTagExpression("age:25-34 and not age:35-44");
    expect(questionKey(expr, "SMS", TAXONOMY)).toBe(
      questionKey(parseTagExpression("age:25-34"), "SMS", TAXONOMY),
    );
    expect(questionKey(expr, "SMS")).not.toBe(questionKey(parseTagExpression("age:25-34"), "SMS"));
    expect(questionKey(parseTagExpression("age:1 and age:2"), null, TAXONOMY)).toBe(
      "v2|channel=*|never",
    );
  });

  it("hashes a long canonical form so the key stays short, still the same for a rewrite", () => {
    const wide = Array.from({ length: 8 }, (_, i) => `(p:${i} and q:${i})`).join(" or ");
    const hashed = key(wide, "SMS");
    expect(hashed).toMatch(/^v2\|channel=SMS\|sha256:[0-9a-f]{64}$/);
    expect(hashed).toBe(key(wide.split(" or ").reverse().join(" or "), "SMS"));
    expect(hashed).not.toBe(key(wide.replace("q:7", "q:8"), "SMS"));
  });
});

describe("keyedQuestion", () => {
  it("gives the same key as questionKey and the question's kind from one diagram", () => {
    for (const [text, kind] of [
      ["interest:tea", "some"],
      ["interest:tea and not interest:tea", "never"],
      ["interest:tea or not interest:tea", "always"],
    ] as const) {
      const expr = parseTagExpression(text);
      expect(keyedQuestion(expr, "SMS")).toEqual({ key: questionKey(expr, "SMS"), kind });
    }
  });

  it("refuses a bad channel like questionKey", () => {
    expect(() => keyedQuestion(parseTagExpression("interest:tea"), "S M S")).toThrow(/Invalid channel/);
  });
});
