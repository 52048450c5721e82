import { AppError } from "@brandpool/errors";

export const TAG_EXPRESSION_ERROR_REASONS = [
  "EMPTY",
  "UNEXPECTED_TOKEN",
  "UNEXPECTED_END",
  "BAD_TAG",
  "TOO_LONG",
  "TOO_DEEP",
  "TOO_MANY_TERMS",
  "TOO_COMPLEX",
] as const;

export type TagExpressionErrorReason = (typeof TAG_EXPRESSION_ERROR_REASONS)[number];

/** `details` of a `BAD_EXPRESSION` error; `position` is 1-based, in characters. */
export type TagExpressionErrorDetails = {
  readonly position: number;
  readonly reason: TagExpressionErrorReason;
};

export function badExpression(
  reason: TagExpressionErrorReason,
  position: number,
  message: string,
): AppError {
  const details: TagExpressionErrorDetails = { position, reason };
  return new AppError("BAD_EXPRESSION", message, details);
}

const SHOWN_TEXT_LENGTH = 40;

/** Quotes input text for a message: escaped, and cut short so a message stays readable. */
export function quoteInput(text: string): string {
  const chars = Array.from(text);
  const shown =
    chars.length > SHOWN_TEXT_LENGTH ? `${chars.slice(0, SHOWN_TEXT_LENGTH).join("")}…` : text;
  return JSON.stringify(shown);
}
