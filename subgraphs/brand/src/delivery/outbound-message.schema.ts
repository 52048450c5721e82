import { z } from "zod";

/**
 * The message key, fixed before the first attempt and the same on every re-send: it becomes the
 * `Message-ID` of an email (`<key@domain>`), the `Idempotency-Key` of an SMS and the first
 * column of a mail export. Letters, digits, `.`, `_` and `-` only, so that it fits all three.
 */
export const MessageKeySchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{15,127}$/);

/** A request id names the export file, so it is checked as a file name. */
export const ExportRequestIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);

// No control characters but the line breaks of a body; a header field gets none at all.
const NO_CONTROL = /^[^\p{Cc}]*$/u;
const BODY_CONTROL = /^(?:[^\p{Cc}]|\r?\n)*$/u;

const BodyTextSchema = z.string().min(1).max(20_000).regex(BODY_CONTROL);
const LineSchema = z.string().min(1).max(200).regex(NO_CONTROL);

export const EmailMessageSchema = z.strictObject({
  channel: z.literal("EMAIL"),
  key: MessageKeySchema,
  to: z.email().max(254),
  subject: LineSchema,
  /** Plain text, rendered on the owner's node (the adapter sends no HTML). */
  text: BodyTextSchema,
  /** Opaque token that the node's unsubscribe URL and mailto carry. */
  unsubscribeToken: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
});

export const SmsMessageSchema = z.strictObject({
  channel: z.literal("SMS"),
  key: MessageKeySchema,
  /** E.164. */
  to: z.string().regex(/^\+[1-9][0-9]{6,14}$/),
  text: z.string().min(1).max(1_000).regex(NO_CONTROL),
});

export const PostalAddressSchema = z.strictObject({
  name: LineSchema,
  lines: z.array(LineSchema).min(1).max(4),
  postalCode: z.string().max(20).regex(NO_CONTROL),
  city: LineSchema,
  region: z.string().max(200).regex(NO_CONTROL),
  country: z.string().regex(/^[A-Z]{2}$/),
});

export const MailMessageSchema = z.strictObject({
  channel: z.literal("MAIL"),
  key: MessageKeySchema,
  /** The outreach request: one export file per request. */
  requestId: ExportRequestIdSchema,
  to: PostalAddressSchema,
  text: BodyTextSchema,
});

export const OutboundMessageSchema = z.discriminatedUnion("channel", [
  EmailMessageSchema,
  SmsMessageSchema,
  MailMessageSchema,
]);

export type EmailMessage = z.infer<typeof EmailMessageSchema>;
export type SmsMessage = z.infer<typeof SmsMessageSchema>;
export type MailMessage = z.infer<typeof MailMessageSchema>;
export type PostalAddress = z.infer<typeof PostalAddressSchema>;
export type OutboundMessage = z.infer<typeof OutboundMessageSchema>;
export type DeliveryChannel = OutboundMessage["channel"];
