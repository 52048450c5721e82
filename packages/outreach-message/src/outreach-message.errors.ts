import { AppError } from "@brandpool/errors";

export const OUTREACH_MESSAGE_ERROR_REASONS = [
  "UNKNOWN_CHANNEL",
  "MESSAGE_REQUIRED",
  "BAD_CHARACTER",
  "HTML",
  "UNKNOWN_PLACEHOLDER",
  "MALFORMED_PLACEHOLDER",
  "PLACEHOLDER_NOT_ALLOWED",
  "COUPON_TWICE",
  "COUPON_IN_LINK",
  "FIRST_NAME_IN_LINK",
  "TOO_LONG",
  "SUBJECT_REQUIRED",
  "SUBJECT_MULTILINE",
  "SUBJECT_NOT_ALLOWED",
] as const;

export type OutreachMessageErrorReason = (typeof OUTREACH_MESSAGE_ERROR_REASONS)[number];

export type OutreachMessageField = "channel" | "message" | "subject";

/**
 * `details` of a `BAD_INPUT` error about an outreach message. `position` is the 1-based code-point
 * position in the field as written; TOO_LONG carries what was counted instead.
 */
export type OutreachMessageErrorDetails = {
  readonly field: OutreachMessageField;
  readonly reason: OutreachMessageErrorReason;
  readonly position?: number;
  /** TOO_LONG: SMS encoding, or "characters" for e-mail, subject and mail. */
  readonly encoding?: "GSM-7" | "UCS-2" | "characters";
  readonly units?: number;
  readonly parts?: number;
  /** TOO_LONG: the most units allowed (for SMS, parts x per-part limit at the most parts). */
  readonly limit?: number;
};

export function badMessage(message: string, details: OutreachMessageErrorDetails): AppError {
  return new AppError("BAD_INPUT", message, details);
}

const SHOWN_TEXT_LENGTH = 40;

/** Quotes input text for a message: escaped, and cut short so a message stays readable. */
export function quoteInput(text: string): string {
  const chars = Array.from(text);
  const shown = chars.length > SHOWN_TEXT_LENGTH ? `${chars.slice(0, SHOWN_TEXT_LENGTH).join("")}…` : text;
  return JSON.stringify(shown);
}

/** 1-based code-point position of the UTF-16 index `index` in `text`. */
export function positionAt(text: string, index: number): number {
  let position = 1;
  for (let i = 0; i < index; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < index) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i += 1;
    }
    position += 1;
  }
  return position;
}
