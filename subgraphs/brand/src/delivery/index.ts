export type { ChannelAdapter } from "./channel-adapter.js";
export type {
  DeliveryAmbiguityReason,
  DeliveryFailureReason,
  DeliveryOutcome,
  DeliveryRetryReason,
  DeliveryStatus,
} from "./delivery-outcome.type.js";
export {
  EmailMessageSchema,
  MailMessageSchema,
  MessageKeySchema,
  OutboundMessageSchema,
  SmsMessageSchema,
} from "./outbound-message.schema.js";
export type { DeliveryChannel, EmailMessage, MailMessage, OutboundMessage, PostalAddress, SmsMessage } from "./outbound-message.schema.js";
export { createSmtpEmailAdapter } from "./smtp-email.adapter.js";
export type { SmtpEmailAdapterOptions } from "./smtp-email.adapter.js";
export { createHttpSmsAdapter } from "./http-sms.adapter.js";
export type { HttpSmsAdapterOptions } from "./http-sms.adapter.js";
export { MAIL_EXPORT_COLUMNS, createCsvMailExportAdapter } from "./csv-mail-export.adapter.js";
export type { CsvMailExportAdapterOptions } from "./csv-mail-export.adapter.js";
export { DEFAULT_RETRY_POLICY, decideRetry } from "./retry-policy.js";
export type { RetryDecision, RetryPolicy } from "./retry-policy.js";
