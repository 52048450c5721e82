import { isAppError } from "@brandpool/errors";
import { describe, expect, it } from "vitest";
import { OUTREACH_MESSAGE_ERROR_REASONS, type OutreachMessageErrorDetails } from "./outreach-message.errors.js";
import type { OutreachMessage } from "./outreach-message.types.js";
import { validateOutreachMessage, type OutreachMessageOptions } from "./validate-outreach-message.js";

function refusal(input: OutreachMessage, options?: OutreachMessageOptions): OutreachMessageErrorDetails {
  try {
    validateOutreachMessage(input, options);
  } catch (error) {
    if (isAppError(error) && error.code === "BAD_INPUT") return error.details as OutreachMessageErrorDetails;
    throw error;
  }
  throw new Error("expected BAD_INPUT, the message was accepted");
}

const sms = (message: string): OutreachMessage => ({ channel: "SMS", message });
const email = (subject: string | undefined, message: string): OutreachMessage => ({ channel: "EMAIL", subject, message });
// "Reply STOP to opt out" and its space: 22 septets added to every English SMS.
const EN_SUFFIX = 22;

describe("validateOutreachMessage: accepted messages", () => {
  it("reports the SMS length with the opt-out suffix, the coupon and the longest name counted", () => {
    const report = validateOutreachMessage(sms("Hi {{firstName}}, 20% off with {{coupon}} at https://Shop.Example/spring"));
    expect(report.optOutSuffix).toBe("Reply STOP to opt out");
    // 8 worst characters force UCS-2: 16 units for the name, 13 for the coupon.
    const written = "Hi , 20% off with  at https://Shop.Example/spring".length;
    expect(report.sms).toMatchObject({ encoding: "UCS-2", units: written + 16 + 13 + EN_SUFFIX, parts: 2, fits: true });
    expect(report.domains).toEqual([{ hostname: "shop.example", ascii: "shop.example" }]);
  });

  it("counts a given name as written when the node passes one, keeping GSM-7", () => {
    const report = validateOutreachMessage(sms("Hi {{firstName}}"), { longestFirstName: "Alexandra" });
    expect(report.sms).toMatchObject({ encoding: "GSM-7", units: "Hi Alexandra".length + EN_SUFFIX });
  });

  it("accepts exactly 459 GSM-7 units and refuses 460, suffix and coupon included", () => {
    const fill = 459 - EN_SUFFIX - 13;
    expect(validateOutreachMessage(sms(`${"a".repeat(fill)}{{coupon}}`)).sms).toMatchObject({ units: 459, parts: 3 });
    expect(refusal(sms(`${"a".repeat(fill + 1)}{{coupon}}`))).toEqual({
      field: "message",
      reason: "TOO_LONG",
      encoding: "GSM-7",
      units: 460,
      parts: 4,
      limit: 459,
    });
  });

  it("accepts exactly 201 UCS-2 units for a Chinese SMS and refuses 202", () => {
    // " 回T退订" is 5 units.
    expect(validateOutreachMessage(sms("好".repeat(196))).sms).toMatchObject({ encoding: "UCS-2", units: 201, parts: 3 });
    expect(refusal(sms("好".repeat(197)))).toMatchObject({ reason: "TOO_LONG", units: 202, parts: 4, limit: 201 });
  });

  it("takes the coupon length and the name allowance as options", () => {
    const at = (name: number, coupon: number) =>
      validateOutreachMessage(sms("{{firstName}} {{coupon}}"), { longestFirstName: name, couponLength: coupon }).sms?.units;
    // " " is trailing white space once both are empty, and is dropped before the suffix.
    expect(at(0, 0)).toBe(EN_SUFFIX);
    expect(at(3, 10)).toBe(6 + 1 + 10 + EN_SUFFIX);
  });

  it("accepts an e-mail up to 10,000 characters and a subject up to 200, the name counted", () => {
    const ok = validateOutreachMessage(email(`${"s".repeat(192)}{{firstName}}`, "x".repeat(10_000)));
    expect(ok).toMatchObject({ characters: 10_000, subjectCharacters: 200, sms: null, optOutSuffix: null });
    expect(refusal(email(`${"s".repeat(193)}{{firstName}}`, "x"))).toEqual({
      field: "subject",
      reason: "TOO_LONG",
      encoding: "characters",
      units: 201,
      limit: 200,
    });
    expect(refusal(email("Hi", "x".repeat(10_001)))).toMatchObject({ field: "message", reason: "TOO_LONG", units: 10_001 });
  });

  it("accepts direct mail up to 2,000 characters with links, and refuses 2,001", () => {
    const report = validateOutreachMessage({ channel: "MAIL", message: `${"m".repeat(1_978)} www.shop.example` });
    expect(report).toMatchObject({ characters: 1_995, domains: [{ hostname: "www.shop.example" }] });
    expect(refusal({ channel: "MAIL", message: "m".repeat(2_001) })).toMatchObject({ reason: "TOO_LONG", limit: 2_000 });
  });
});

describe("validateOutreachMessage: refusals", () => {
  it("names every reason it can give", () => {
    expect(OUTREACH_MESSAGE_ERROR_REASONS).toContain("TOO_LONG");
    expect(new Set(OUTREACH_MESSAGE_ERROR_REASONS).size).toBe(OUTREACH_MESSAGE_ERROR_REASONS.length);
  });

  it("refuses an unknown channel", () => {
    expect(refusal({ channel: "FAX" as never, message: "hi" })).toMatchObject({ field: "channel", reason: "UNKNOWN_CHANNEL" });
  });

  it("refuses an empty or blank message", () => {
    expect(refusal(sms(""))).toEqual({ field: "message", reason: "MESSAGE_REQUIRED" });
    expect(refusal(sms(" \n "))).toEqual({ field: "message", reason: "MESSAGE_REQUIRED" });
  });

  it("refuses unknown placeholders, with their position", () => {
    expect(refusal(sms("Hi {{name}}"))).toEqual({ field: "message", reason: "UNKNOWN_PLACEHOLDER", position: 4 });
    expect(refusal(sms("好{{Coupon}}"))).toMatchObject({ reason: "UNKNOWN_PLACEHOLDER", position: 2 });
    expect(refusal(sms("🎉 {{lastName}}"))).toMatchObject({ reason: "UNKNOWN_PLACEHOLDER", position: 3 });
  });

  it("refuses malformed placeholders and stray braces: {{coupon}, { {coupon}}, {{ coupon }}, {{{coupon}}}, }", () => {
    for (const [message, position] of [
      ["Use {{coupon}", 5],
      ["Use { {coupon}}", 5],
      ["Use {{ coupon }}", 5],
      ["Use {{{coupon}}}", 5],
      ["Use {{coupon}}}", 15],
      ["Sale {today}", 6],
      ["a } b", 3],
    ] as const) {
      expect(refusal(sms(message)), message).toEqual({ field: "message", reason: "MALFORMED_PLACEHOLDER", position });
    }
  });

  it("refuses {{coupon}} twice, at the second", () => {
    expect(refusal(sms("{{coupon}} or {{coupon}}"))).toEqual({ field: "message", reason: "COUPON_TWICE", position: 15 });
  });

  it("refuses HTML: tags, comments, closing tags and entities", () => {
    for (const [message, position] of [
      ["<b>Sale</b>", 1],
      ["Sale <a href=x>here</a>", 6],
      ["Sale </p>", 6],
      ["x <!-- y", 3],
      ["Tom &amp; Jerry", 5],
      ["&#60;script", 1],
      ["&#x3C;b", 1],
      ["x<?php echo 1 ?>", 2],
    ] as const) {
      expect(refusal(sms(message)), message).toEqual({ field: "message", reason: "HTML", position });
    }
  });

  it("keeps plain text that merely looks near HTML: a < b > c, Tom & Jerry, 3<5", () => {
    for (const message of ["a < b > c", "Tom & Jerry", "3<5 and 6>2", "AT&T, Q&A", "< img src=x>"]) {
      expect(() => validateOutreachMessage(sms(message)), message).not.toThrow();
    }
  });

  it("refuses control characters, bidi overrides and lone surrogates", () => {
    expect(refusal(sms("a\u0000b"))).toEqual({ field: "message", reason: "BAD_CHARACTER", position: 2 });
    expect(refusal(sms("see \u202Eexample"))).toMatchObject({ reason: "BAD_CHARACTER", position: 5 });
    expect(refusal(sms("x\ud800"))).toMatchObject({ reason: "BAD_CHARACTER", position: 2 });
    expect(refusal(sms("page\fbreak"))).toMatchObject({ reason: "BAD_CHARACTER", position: 5 });
  });

  it("refuses an input far past any limit before scanning it", () => {
    expect(refusal(sms("a".repeat(100_000)))).toMatchObject({ reason: "TOO_LONG", units: 100_000 });
  });

  it("refuses an e-mail without a subject, or with a blank one", () => {
    expect(refusal(email(undefined, "x"))).toEqual({ field: "subject", reason: "SUBJECT_REQUIRED" });
    expect(refusal(email("  ", "x"))).toEqual({ field: "subject", reason: "SUBJECT_REQUIRED" });
  });

  it("refuses a subject on several lines", () => {
    expect(refusal(email("Spring\nsale", "x"))).toEqual({ field: "subject", reason: "SUBJECT_MULTILINE", position: 7 });
    expect(refusal(email("Spring\u2028sale", "x"))).toMatchObject({ reason: "SUBJECT_MULTILINE" });
  });

  it("refuses {{coupon}} or an unknown placeholder in the subject, but takes {{firstName}}", () => {
    expect(refusal(email("Your code {{coupon}}", "x"))).toEqual({ field: "subject", reason: "PLACEHOLDER_NOT_ALLOWED", position: 11 });
    expect(refusal(email("Hi {{first_name}}", "x"))).toMatchObject({ field: "subject", reason: "UNKNOWN_PLACEHOLDER" });
    expect(refusal(email("<b>Hi</b>", "x"))).toMatchObject({ field: "subject", reason: "HTML" });
    expect(validateOutreachMessage(email("Hi {{firstName}}", "x")).subjectCharacters).toBe(11);
  });

  it("refuses a subject on SMS and direct mail", () => {
    expect(refusal({ channel: "SMS", subject: "Hi", message: "x" })).toEqual({ field: "subject", reason: "SUBJECT_NOT_ALLOWED" });
    expect(refusal({ channel: "MAIL", subject: "Hi", message: "x" })).toMatchObject({ reason: "SUBJECT_NOT_ALLOWED" });
  });

  it("refuses {{firstName}} inside a link, where it would hand the name to the link's owner", () => {
    expect(refusal(sms("https://shop.example/?n={{firstName}}"))).toEqual({
      field: "message",
      reason: "FIRST_NAME_IN_LINK",
      position: 25,
    });
    expect(refusal(email("www.shop.example/{{firstName}}", "x"))).toMatchObject({ field: "subject", reason: "FIRST_NAME_IN_LINK" });
  });
});
