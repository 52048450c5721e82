import { describe, expect, it } from "vitest";
import { en } from "./en.js";
import { zh } from "./zh.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the two catalogs", () => {
  it("have the same keys, none empty", () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of [...Object.entries(en), ...Object.entries(zh)]) expect(text.trim(), key).not.toBe("");
  });

  it("use the same placeholders in each message", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
  });

  it("differ where they should: a Chinese text for every English one that has letters", () => {
    const untranslated = (Object.keys(en) as (keyof typeof en)[]).filter((key) => /[a-z]{4}/.test(en[key]) && zh[key] === en[key]);
    // Channel and product names may stay as they are.
    expect(untranslated.filter((key) => !["channel.SMS"].includes(key))).toEqual([]);
  });
});
