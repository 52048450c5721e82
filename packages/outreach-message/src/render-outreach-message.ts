import { fillPlaceholders, scanPlaceholders } from "./message-placeholders.js";
import { appendSmsOptOut } from "./opt-out-suffix.js";
import type { OutreachChannel } from "./outreach-message.types.js";
import type { SmsLengthReport } from "./sms-length.js";
import { checkOutreachMessage } from "./validate-outreach-message.js";

export type RenderOptions = {
  readonly channel: OutreachChannel;
  /** The recipient's given name (see `givenName`), or the owner's fallback greeting. */
  readonly firstName: string;
  /** The recipient's coupon code (see `newCouponCode`). */
  readonly coupon: string;
};

export type RenderedOutreachMessage = {
  readonly channel: OutreachChannel;
  /** The text to send: placeholders filled and, for SMS, the opt-out suffix appended. */
  readonly message: string;
  /** EMAIL: the subject with `{{firstName}}` filled; otherwise null. */
  readonly subject: string | null;
  /** SMS: what was counted for the text sent. */
  readonly sms: SmsLengthReport | null;
};

// Zero-width (non-)joiners are kept: some scripts spell names with them.
const NOT_PRINTABLE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * The message for one recipient, on the owner's node. The template is checked again with this
 * recipient's name and coupon counted as written, so what is sent is never longer than the limits;
 * a template that the coordinator accepted for names of N characters renders within them for any
 * name of at most N characters. Throws `BAD_INPUT` as `validateOutreachMessage` does.
 */
export function renderMessage(
  template: { readonly subject?: string | null | undefined; readonly message: string },
  options: RenderOptions,
): RenderedOutreachMessage {
  // A stored name may hold a line break or a bidi control; it must not reshape the message.
  const firstName = options.firstName.replace(NOT_PRINTABLE, " ").replace(/\s+/g, " ").trim();
  const values = { firstName, coupon: options.coupon };
  const input = { channel: options.channel, subject: template.subject, message: template.message };
  const report = checkOutreachMessage(input, values);
  const filled = fillPlaceholders(template.message, scanPlaceholders(template.message).tokens, values);
  const message = report.optOutSuffix === null ? filled : appendSmsOptOut(filled, report.optOutSuffix);
  const subject =
    options.channel === "EMAIL" && typeof template.subject === "string"
      ? fillPlaceholders(template.subject, scanPlaceholders(template.subject).tokens, values)
      : null;
  return { channel: options.channel, message, subject, sms: report.sms };
}
