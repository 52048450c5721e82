import { describe, expect, it } from "vitest";
import { parseTagExpression } from "./parse-tag-expression.js";
import { questionKey } from "./question-key.js";

const key = (input: string, channel?: string | null): string =>
  questionKey(parseTagExpression(input), channel);

describe("questionKey", () => {
  it("holds the version, the channel and the normal form", () => {
    expect(key("gender:f and age:18-24", "SMS")).toBe("v1|channel=SMS|age:18-24 and gender:f");
  });

  it("uses * when there is no channel", () => {
    expect(key("a:1")).toBe("v1|channel=*|a:1");
    expect(key("a:1", null)).toBe("v1|channel=*|a:1");
  });

  it("is the same for expressions differing only in order, duplicates or nesting", () => {
    const base = key("(a:1 and b:1) or c:1", "EMAIL");
    expect(key("c:1 or (b:1 and a:1)", "EMAIL")).toBe(base);
    expect(key("c:1 or (b:1 and a:1 and b:1) or c:1", "EMAIL")).toBe(base);
    expect(key("(c:1 or ((a:1 and (b:1))))", "EMAIL")).toBe(base);
  });

  it("differs between channels", () => {
    const channels = ["SMS", "EMAIL", "DIRECT_MAIL", undefined];
    const keys = new Set(channels.map((channel) => key("a:1", channel)));
    expect(keys.size).toBe(4);
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
});
