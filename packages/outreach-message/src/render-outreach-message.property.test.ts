import { isAppError } from "@brandpool/errors";
import { describe, expect, it } from "vitest";
import { newCouponCode } from "./coupon-code.js";
import type { OutreachChannel } from "./outreach-message.types.js";
import { renderMessage } from "./render-outreach-message.js";
import { seededRandom, type Random } from "./seeded-random.fixture.js";
import { smsLength } from "./sms-length.js";
import { validateOutreachMessage } from "./validate-outreach-message.js";

// Pieces chosen to sit on every counting edge: GSM basic, GSM extension (2 septets), BMP outside
// GSM (forces UCS-2), astral (2 UTF-16 units), line breaks and links.
const TEXT = ["a", "Z", "7", " ", ".", "é", "€", "[", "^", "\\", "好", "券", "ç", "🎉", "𠀀", "\n", "https://shop.example/x "];
const NAME = ["A", "n", "é", "€", "|", "王", "小", "明", "ç", "🎉", "𠀀", " ", "\n"];

function template(random: Random, length: number): string {
  const parts: string[] = [];
  let coupon = false;
  while (parts.join("").length < length) {
    const roll = random.below(40);
    if (roll === 0) parts.push("{{firstName}}");
    else if (roll === 1 && !coupon) {
      parts.push(" {{coupon}} ");
      coupon = true;
    } else parts.push(random.pick(TEXT));
  }
  return parts.join("");
}

function name(random: Random, most: number): string {
  return Array.from({ length: random.below(most + 1) }, () => random.pick(NAME)).join("");
}

describe("renderMessage against validateOutreachMessage (seeded)", () => {
  it("never renders longer than the validation allowed for names of that length", () => {
    let accepted = 0;
    let nearLimit = 0;
    for (let seed = 1; seed <= 600; seed += 1) {
      const random = seededRandom(seed);
      const channel: OutreachChannel = random.pick(["SMS", "SMS", "SMS", "EMAIL", "MAIL"] as const);
      const allowance = random.below(13);
      const message = template(random, random.below(channel === "SMS" ? 470 : 2_100));
      const subject = channel === "EMAIL" ? `${"s".repeat(random.below(190))}{{firstName}}` : undefined;
      let report;
      try {
        report = validateOutreachMessage({ channel, subject, message }, { longestFirstName: allowance });
      } catch (error) {
        if (isAppError(error) && error.code === "BAD_INPUT") continue;
        throw error;
      }
      accepted += 1;
      if (report.sms && report.sms.parts === 3) nearLimit += 1;
      for (let n = 0; n < 10; n += 1) {
        const firstName = name(random, allowance);
        const rendered = renderMessage({ subject, message }, { channel, firstName, coupon: newCouponCode() });
        const why = JSON.stringify({ seed, firstName });
        expect(rendered.message, why).not.toMatch(/\{\{(coupon|firstName)\}\}/);
        if (report.sms) {
          const sent = smsLength(rendered.message);
          expect(sent, why).toEqual(rendered.sms);
          expect(sent.fits, why).toBe(true);
          expect(sent.parts, why).toBeLessThanOrEqual(report.sms.parts);
          expect(rendered.message.endsWith(report.optOutSuffix ?? "?"), why).toBe(true);
        } else {
          expect(Array.from(rendered.message).length, why).toBeLessThanOrEqual(report.characters ?? -1);
        }
        if (report.subjectCharacters !== null) {
          expect(Array.from(rendered.subject ?? "").length, why).toBeLessThanOrEqual(report.subjectCharacters);
        }
      }
    }
    // The generator must reach the interesting cases, or the property proves little.
    expect(accepted).toBeGreaterThan(250);
    expect(nearLimit).toBeGreaterThan(20);
  });
});
