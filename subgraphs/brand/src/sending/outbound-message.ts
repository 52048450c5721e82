import { givenName, renderMessage } from "@brandpool/outreach-message";
import { OutboundMessageSchema } from "../delivery/index.js";
import type { OutboundMessage } from "../delivery/index.js";
import type { Channel } from "../members/expression.sql.js";
import type { UnsubscribeTokens } from "./unsubscribe-token.js";

/** One recipient's row as a batch loads it: the member's contact details stay in this process. */
export interface RecipientRow {
  member_seq: number;
  coupon_code: string;
  message_key: string;
  attempts: number;
  name: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  consented: boolean;
}

export interface RequestTemplate {
  requestId: string;
  /** The requesting brand (the owner's sending rules may treat partners apart). */
  requester?: string;
  channel: Channel;
  subject: string | null;
  message: string;
}

/** Why a message was not sent at all (a delivery attempt's `detail`, never a value). */
export type NotSendable = "CONSENT_WITHDRAWN" | "RENDER_FAILED" | "INVALID_CONTACT";

/**
 * The message for one recipient, rendered on the owner's node: `{{firstName}}` is the given name
 * (the part after the surname, for Chinese names), `{{coupon}}` the recipient's code, an SMS ends
 * with the opt-out suffix (renderMessage), an email carries its one-click unsubscribe token.
 */
export function outboundMessage(
  request: RequestTemplate,
  row: RecipientRow,
  tokens: UnsubscribeTokens,
  mailCountry: string,
): OutboundMessage | NotSendable {
  if (!row.consented) return "CONSENT_WITHDRAWN";
  let rendered;
  try {
    rendered = renderMessage({ subject: request.subject, message: request.message }, { channel: request.channel, firstName: givenName(row.name), coupon: row.coupon_code });
  } catch {
    return "RENDER_FAILED";
  }
  const key = row.message_key;
  let message: unknown;
  switch (request.channel) {
    case "SMS":
      message = { channel: "SMS", key, to: row.phone, text: rendered.message };
      break;
    case "EMAIL":
      message = { channel: "EMAIL", key, to: row.email, subject: rendered.subject, text: rendered.message, unsubscribeToken: tokens.issue(key) };
      break;
    case "MAIL":
      // Members keep one address line, in Chinese order with the city in it: the export's own
      // city column repeats nothing and holds a dash.
      message = {
        channel: "MAIL",
        key,
        requestId: request.requestId,
        to: { name: row.name, lines: [row.address], postalCode: "", city: "-", region: "", country: mailCountry },
        text: rendered.message,
      };
      break;
  }
  const parsed = OutboundMessageSchema.safeParse(message);
  return parsed.success ? parsed.data : "INVALID_CONTACT";
}
