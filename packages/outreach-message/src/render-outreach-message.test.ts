import { isAppError } from "@brandpool/errors";
import { describe, expect, it } from "vitest";
import { renderMessage } from "./render-outreach-message.js";
import { smsLength } from "./sms-length.js";
import { validateOutreachMessage } from "./validate-outreach-message.js";

const COUPON = "7KQ2M9X01AB13";

describe("renderMessage", () => {
  it("fills the placeholders and appends the opt-out suffix that the length rule counted", () => {
    const template = { message: "Hi {{firstName}}, 20% off with {{coupon}} at https://shop.example/spring " };
    const rendered = renderMessage(template, { channel: "SMS", firstName: "Ann", coupon: COUPON });
    const text = `Hi Ann, 20% off with ${COUPON} at https://shop.example/spring Reply STOP to opt out`;
    expect(rendered).toEqual({ channel: "SMS", message: text, subject: null, sms: smsLength(text) });
    expect(rendered.sms).toMatchObject({ encoding: "GSM-7", parts: 1 });
  });

  it("appends 回T退订 to a Chinese SMS", () => {
    const rendered = renderMessage({ message: "{{firstName}}您好，凭券{{coupon}}立减20元" }, { channel: "SMS", firstName: "小明", coupon: COUPON });
    expect(rendered.message).toBe(`小明您好，凭券${COUPON}立减20元 回T退订`);
  });

  it("renders an e-mail's subject and body, with no suffix (e-mail opts out by List-Unsubscribe)", () => {
    const rendered = renderMessage(
      { subject: "{{firstName}}, your spring offer", message: "Dear {{firstName}},\nyour code: {{coupon}}" },
      { channel: "EMAIL", firstName: "Zoë", coupon: COUPON },
    );
    expect(rendered).toMatchObject({ subject: "Zoë, your spring offer", message: `Dear Zoë,\nyour code: ${COUPON}`, sms: null });
  });

  it("never re-reads filled-in text: a name that looks like a placeholder stays literal", () => {
    const rendered = renderMessage({ message: "Hi {{firstName}}, code {{coupon}}" }, { channel: "MAIL", firstName: "{{coupon}}", coupon: COUPON });
    expect(rendered.message).toBe(`Hi {{coupon}}, code ${COUPON}`);
  });

  it("flattens line breaks and bidi controls in a stored name", () => {
    const rendered = renderMessage({ message: "Hi {{firstName}}!" }, { channel: "MAIL", firstName: "Ann\n\u202ELee", coupon: COUPON });
    expect(rendered.message).toBe("Hi Ann Lee!");
  });

  it("refuses, rather than sends, a message that one recipient's long name makes too long", () => {
    const template = { message: `{{firstName}} ${"a".repeat(430)}` };
    expect(validateOutreachMessage({ channel: "SMS", ...template }, { longestFirstName: "Ann" }).sms?.fits).toBe(true);
    let details: unknown;
    try {
      renderMessage(template, { channel: "SMS", firstName: "Maximiliana-Theodora", coupon: COUPON });
    } catch (error) {
      if (isAppError(error)) details = error.details;
    }
    expect(details).toMatchObject({ field: "message", reason: "TOO_LONG", encoding: "GSM-7", parts: 4 });
  });

  it("refuses a template the validator refuses (here, the coupon inside a link)", () => {
    expect(() =>
      renderMessage({ message: "https://shop.example/{{coupon}}" }, { channel: "SMS", firstName: "Ann", coupon: COUPON }),
    ).toThrow(expect.objectContaining({ code: "BAD_INPUT", details: expect.objectContaining({ reason: "COUPON_IN_LINK" }) }));
  });
});
