import { COUPON_CODE_LENGTH } from "./coupon-code.js";
import { findBadCharacter, findHtml } from "./message-html.js";
import { domainsOf, findLinks, type LinkDomain, type MessageLink } from "./message-links.js";
import { fillPlaceholders, scanPlaceholders, type PlaceholderToken } from "./message-placeholders.js";
import { appendSmsOptOut, smsOptOutSuffix, type SmsOptOutSuffix } from "./opt-out-suffix.js";
import {
  badMessage,
  positionAt,
  quoteInput,
  type OutreachMessageField,
} from "./outreach-message.errors.js";
import {
  EMAIL_BODY_MAX_CHARACTERS,
  EMAIL_SUBJECT_MAX_CHARACTERS,
  MAIL_BODY_MAX_CHARACTERS,
  OUTREACH_CHANNELS,
  type OutreachChannel,
  type OutreachMessage,
} from "./outreach-message.types.js";
import { smsLength, SMS_MAX_PARTS, type SmsLengthReport } from "./sms-length.js";

/**
 * Room the coordinator leaves for `{{firstName}}`: 8 characters of the worst alphabet (characters
 * outside the BMP, two UTF-16 units each, forcing UCS-2), so a message it accepts fits for any
 * given name of up to 8 characters.
 */
export const PLATFORM_FIRST_NAME_ALLOWANCE = 8;

export type OutreachMessageOptions = {
  /**
   * What `{{firstName}}` may become. A number is that many characters of the worst alphabet (see
   * `PLATFORM_FIRST_NAME_ALLOWANCE`, the default): an owner's node passes the most characters
   * (code points, `Array.from(givenName(name)).length`) of its recipients' given names. A string
   * is counted as written (one recipient's name, as `renderMessage` does).
   */
  readonly longestFirstName?: number | string;
  /** Characters of a coupon code. Default `COUPON_CODE_LENGTH` (13). */
  readonly couponLength?: number;
};

export type OutreachMessageReport = {
  readonly channel: OutreachChannel;
  /** Domains of the links in the message (and subject), for the owner's allow-list. */
  readonly domains: readonly LinkDomain[];
  /** SMS: the opt-out suffix that is appended and was counted. */
  readonly optOutSuffix: SmsOptOutSuffix | null;
  /** SMS: the length of the longest message this template can become. */
  readonly sms: SmsLengthReport | null;
  /** EMAIL and MAIL: the most characters of the body, placeholders filled in. */
  readonly characters: number | null;
  /** EMAIL: the most characters of the subject. */
  readonly subjectCharacters: number | null;
};

// Far beyond any limit: a longer input is refused before it is scanned.
const MAX_SCANNED = 4 * EMAIL_BODY_MAX_CHARACTERS;
const WORST_CHARACTER = "\u{20000}"; // a CJK Extension B ideograph: two UTF-16 units, not GSM

export type PlaceholderValues = { readonly coupon: string; readonly firstName: string };

/**
 * Checks an outreach message as the coordinator does when a request is created and the owner's
 * node does before it sends. Throws `BAD_INPUT` with `OutreachMessageErrorDetails`; returns what
 * was counted and the links' domains.
 */
export function validateOutreachMessage(
  input: OutreachMessage,
  options: OutreachMessageOptions = {},
): OutreachMessageReport {
  return checkOutreachMessage(input, worstValues(options));
}

function worstValues(options: OutreachMessageOptions): PlaceholderValues {
  const name = options.longestFirstName ?? PLATFORM_FIRST_NAME_ALLOWANCE;
  const couponLength = options.couponLength ?? COUPON_CODE_LENGTH;
  if (typeof name === "number" && !(Number.isSafeInteger(name) && name >= 0)) {
    throw new RangeError("longestFirstName must be a whole number of characters");
  }
  if (!(Number.isSafeInteger(couponLength) && couponLength >= 0)) {
    throw new RangeError("couponLength must be a whole number of characters");
  }
  return {
    firstName: typeof name === "number" ? WORST_CHARACTER.repeat(name) : name,
    coupon: "0".repeat(couponLength),
  };
}

/** The checks, with the exact text each placeholder becomes (worst case or one recipient's). */
export function checkOutreachMessage(input: OutreachMessage, values: PlaceholderValues): OutreachMessageReport {
  const channel = input.channel;
  if (!(OUTREACH_CHANNELS as readonly string[]).includes(channel)) {
    throw badMessage(`Unknown channel ${quoteInput(String(channel))}.`, { field: "channel", reason: "UNKNOWN_CHANNEL" });
  }
  const message = checkText("message", input.message);
  const subject = checkSubject(channel, input.subject);
  const links = findLinks(input.message, message);
  assertNoPlaceholderInLinks("message", input.message, links);
  const coupons = message.filter((t) => t.name === "coupon");
  if (coupons.length > 1 && coupons[1]) {
    throw badMessage("{{coupon}} may appear at most once.", {
      field: "message",
      reason: "COUPON_TWICE",
      position: positionAt(input.message, coupons[1].start),
    });
  }
  const subjectLinks = subject === null ? [] : findLinks(subject.text, subject.tokens);
  if (subject !== null) assertNoPlaceholderInLinks("subject", subject.text, subjectLinks);
  const domains = domainsOf([...links, ...subjectLinks]);
  const body = fillPlaceholders(input.message, message, values);

  let subjectCharacters: number | null = null;
  if (subject !== null) {
    subjectCharacters = Array.from(fillPlaceholders(subject.text, subject.tokens, values)).length;
    assertCharacters("subject", subjectCharacters, EMAIL_SUBJECT_MAX_CHARACTERS);
  }
  if (channel === "SMS") {
    const optOutSuffix = smsOptOutSuffix(input.message);
    const sms = smsLength(appendSmsOptOut(body, optOutSuffix), SMS_MAX_PARTS);
    if (!sms.fits) {
      const limit = SMS_MAX_PARTS * sms.perPartLimit;
      throw badMessage(
        `The SMS is too long: ${sms.units} ${sms.encoding} units in ${sms.parts} parts, at most ${SMS_MAX_PARTS} parts of ${sms.perPartLimit} (the opt-out suffix, the first name and the coupon counted).`,
        { field: "message", reason: "TOO_LONG", encoding: sms.encoding, units: sms.units, parts: sms.parts, limit },
      );
    }
    return { channel, domains, optOutSuffix, sms, characters: null, subjectCharacters };
  }
  const characters = Array.from(body).length;
  assertCharacters("message", characters, channel === "EMAIL" ? EMAIL_BODY_MAX_CHARACTERS : MAIL_BODY_MAX_CHARACTERS);
  return { channel, domains, optOutSuffix: null, sms: null, characters, subjectCharacters };
}

function checkText(field: OutreachMessageField, text: unknown): PlaceholderToken[] {
  if (typeof text !== "string" || text.trim() === "") {
    const reason = field === "subject" ? "SUBJECT_REQUIRED" : "MESSAGE_REQUIRED";
    throw badMessage(`The ${field} is required.`, { field, reason });
  }
  if (text.length > MAX_SCANNED) {
    throw badMessage(`The ${field} is too long.`, {
      field,
      reason: "TOO_LONG",
      encoding: "characters",
      units: Array.from(text).length,
      limit: field === "subject" ? EMAIL_SUBJECT_MAX_CHARACTERS : EMAIL_BODY_MAX_CHARACTERS,
    });
  }
  const bad = findBadCharacter(text);
  if (bad >= 0) {
    const code = (text.codePointAt(bad) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    throw badMessage(`The ${field} contains a character that may not be sent (U+${code}).`, {
      field,
      reason: "BAD_CHARACTER",
      position: positionAt(text, bad),
    });
  }
  const html = findHtml(text);
  if (html >= 0) {
    throw badMessage(`The ${field} must be plain text, without HTML tags or entities.`, {
      field,
      reason: "HTML",
      position: positionAt(text, html),
    });
  }
  const scan = scanPlaceholders(text);
  if (scan.problem) {
    const { reason, index } = scan.problem;
    const what = reason === "UNKNOWN_PLACEHOLDER" ? "an unknown placeholder" : "a stray or malformed brace";
    throw badMessage(
      `The ${field} contains ${what} at ${quoteInput(scan.problem.text)}; only {{coupon}} and {{firstName}} are known, and braces are kept for them.`,
      { field, reason, position: positionAt(text, index) },
    );
  }
  return [...scan.tokens];
}

function checkSubject(
  channel: OutreachChannel,
  subject: string | null | undefined,
): { text: string; tokens: PlaceholderToken[] } | null {
  if (channel !== "EMAIL") {
    if (subject === undefined || subject === null || subject === "") return null;
    throw badMessage(`A subject is only sent by e-mail, not by ${channel}.`, {
      field: "subject",
      reason: "SUBJECT_NOT_ALLOWED",
    });
  }
  const tokens = checkText("subject", subject);
  const text = subject as string;
  const lineBreak = /[\r\n\u0085\u2028\u2029]/.exec(text);
  if (lineBreak) {
    throw badMessage("The subject must be a single line.", {
      field: "subject",
      reason: "SUBJECT_MULTILINE",
      position: positionAt(text, lineBreak.index),
    });
  }
  const coupon = tokens.find((t) => t.name !== "firstName");
  if (coupon) {
    throw badMessage("The subject may hold {{firstName}} only.", {
      field: "subject",
      reason: "PLACEHOLDER_NOT_ALLOWED",
      position: positionAt(text, coupon.start),
    });
  }
  return { text, tokens };
}

function assertCharacters(field: OutreachMessageField, units: number, limit: number): void {
  if (units <= limit) return;
  throw badMessage(`The ${field} is too long: ${units} characters, at most ${limit}.`, {
    field,
    reason: "TOO_LONG",
    encoding: "characters",
    units,
    limit,
  });
}

// A filled-in coupon or name inside a link would tie a click, or hand a name, to the link's owner.
function assertNoPlaceholderInLinks(field: OutreachMessageField, text: string, links: readonly MessageLink[]): void {
  for (const link of links) {
    const token = link.placeholders[0];
    if (!token) continue;
    throw badMessage(`{{${token.name}}} may not be part of a link (${quoteInput(link.text)}).`, {
      field,
      reason: token.name === "coupon" ? "COUPON_IN_LINK" : "FIRST_NAME_IN_LINK",
      position: positionAt(text, token.start),
    });
  }
}
