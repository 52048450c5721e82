import { describe, expect, it } from "vitest";
import { outboundMessage } from "./outbound-message.js";
import type { RecipientRow, RequestTemplate } from "./outbound-message.js";
import { UnsubscribeTokens } from "./unsubscribe-token.js";

const tokens = new UnsubscribeTokens("a node secret of at least thirty-two characters");
const row: RecipientRow = {
  member_seq: 7,
  coupon_code: "7K3M9QXW2HB4D",
  message_key: "5f0c1a52-9a6e-4d27-9d1b-2b0f6f3c2a11",
  attempts: 0,
  name: "欧阳小明",
  phone: "+8613800138000",
  email: "xiaoming@example.com",
  address: "上海市徐汇区漕溪北路 88 号",
  consented: true,
};
const sms: RequestTemplate = { requestId: "5f0c1a52-9a6e-4d27-9d1b-2b0f6f3c2a00", channel: "SMS", subject: null, message: "{{firstName}}，您的券码 {{coupon}}" };
const email: RequestTemplate = { ...sms, channel: "EMAIL", subject: "{{firstName}}, a pie", message: "Hi {{firstName}}, code {{coupon}}" };

describe("the message for one recipient", () => {
  it("greets by the given name after a compound surname, fills the coupon and ends an SMS with the opt-out", () => {
    expect(outboundMessage(sms, row, tokens, "CN")).toEqual({ channel: "SMS", key: row.message_key, to: row.phone, text: "小明，您的券码 7K3M9QXW2HB4D 回T退订" });
  });

  it("gives an email its subject and an unsubscribe token that names the message only", () => {
    const message = outboundMessage(email, row, tokens, "CN");
    expect(message).toMatchObject({ channel: "EMAIL", to: row.email, subject: "小明, a pie", text: "Hi 小明, code 7K3M9QXW2HB4D" });
    const token = (message as { unsubscribeToken: string }).unsubscribeToken;
    expect(tokens.verify(token)).toBe(row.message_key);
    expect(token).not.toContain(String(row.member_seq));
  });

  it("sends nothing to a member who withdrew consent or whose contact is not valid", () => {
    expect(outboundMessage(sms, { ...row, consented: false }, tokens, "CN")).toBe("CONSENT_WITHDRAWN");
    expect(outboundMessage(sms, { ...row, phone: "13800138000" }, tokens, "CN")).toBe("INVALID_CONTACT");
    expect(outboundMessage(email, { ...row, email: "not an address" }, tokens, "CN")).toBe("INVALID_CONTACT");
  });
});
