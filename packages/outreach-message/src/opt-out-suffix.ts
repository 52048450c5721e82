/** The opt-out line of a Chinese SMS, as carriers in mainland China expect it. */
export const SMS_OPT_OUT_SUFFIX_ZH = "回T退订";
/** The opt-out line of any other SMS. */
export const SMS_OPT_OUT_SUFFIX_EN = "Reply STOP to opt out";

export type SmsOptOutSuffix = typeof SMS_OPT_OUT_SUFFIX_ZH | typeof SMS_OPT_OUT_SUFFIX_EN;

// Han ideographs and CJK punctuation (、。「」...). Placeholders are removed first, so the choice
// is made on what the requester wrote and a Chinese first name never flips it.
const CJK = /[\p{Script=Han}\u3000-\u303f]/u;
const PLACEHOLDER = /\{\{(?:coupon|firstName)\}\}/g;

/** The opt-out suffix for an SMS template: Chinese when the template contains CJK text. */
export function smsOptOutSuffix(template: string): SmsOptOutSuffix {
  return CJK.test(template.replace(PLACEHOLDER, "")) ? SMS_OPT_OUT_SUFFIX_ZH : SMS_OPT_OUT_SUFFIX_EN;
}

/** The SMS as sent: the text, trailing white space dropped, a space, the suffix. */
export function appendSmsOptOut(text: string, suffix: SmsOptOutSuffix): string {
  return `${text.trimEnd()} ${suffix}`;
}
