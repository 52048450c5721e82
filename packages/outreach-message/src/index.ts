export {
  EMAIL_BODY_MAX_CHARACTERS,
  EMAIL_SUBJECT_MAX_CHARACTERS,
  MAIL_BODY_MAX_CHARACTERS,
  OUTREACH_CHANNELS,
  PLACEHOLDER_NAMES,
  type OutreachChannel,
  type OutreachMessage,
  type PlaceholderName,
} from "./outreach-message.types.js";
export {
  OUTREACH_MESSAGE_ERROR_REASONS,
  type OutreachMessageErrorDetails,
  type OutreachMessageErrorReason,
  type OutreachMessageField,
} from "./outreach-message.errors.js";
export {
  GSM_BASIC_CHARACTERS,
  GSM_EXTENSION_CHARACTERS,
  SMS_LIMITS,
  SMS_MAX_PARTS,
  smsLength,
  type SmsEncoding,
  type SmsLengthReport,
} from "./sms-length.js";
export {
  SMS_OPT_OUT_SUFFIX_EN,
  SMS_OPT_OUT_SUFFIX_ZH,
  appendSmsOptOut,
  smsOptOutSuffix,
  type SmsOptOutSuffix,
} from "./opt-out-suffix.js";
export { linkDomains } from "./link-domains.js";
export type { LinkDomain } from "./message-links.js";
export {
  PLATFORM_FIRST_NAME_ALLOWANCE,
  validateOutreachMessage,
  type OutreachMessageOptions,
  type OutreachMessageReport,
} from "./validate-outreach-message.js";
export { renderMessage, type RenderOptions, type RenderedOutreachMessage } from "./render-outreach-message.js";
export { CHINESE_COMPOUND_SURNAMES, givenName } from "./given-name.js";
export {
  COUPON_CODE_ALPHABET,
  COUPON_CODE_LENGTH,
  isCouponCode,
  newCouponCode,
  newCouponCodes,
  normalizeCouponCode,
} from "./coupon-code.js";
export { contentHash, type OutreachRequestContent } from "./content-hash.js";
