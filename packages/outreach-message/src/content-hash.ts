import { createHash } from "node:crypto";
import { canonicalJson } from "@brandpool/audit-chain";
import { AppError } from "@brandpool/errors";
import type { OutreachChannel } from "./outreach-message.types.js";

/** What an owner approves: every field that decides who is reached, when, and with what. */
export type OutreachRequestContent = {
  readonly channel: OutreachChannel;
  readonly subject?: string | null | undefined;
  readonly message: string;
  /** The tag expression as written. */
  readonly expression: string;
  readonly purpose: string;
  readonly cap: number;
  readonly sendWindow: { readonly start: string | Date; readonly end: string | Date };
  readonly expiresAt: string | Date;
  /** Target brand ids: a set, so their order does not change the hash. */
  readonly targets: readonly string[];
};

/**
 * `sha256:<hex>` of the RFC 8785 canonical JSON of a request's content (the audit chain's
 * `canonicalJson`). Times are hashed as ISO 8601 UTC with milliseconds, so a `Date` and its ISO
 * string agree; an absent subject is null; targets are sorted. Throws `BAD_INPUT` for a time that
 * is not a date and for anything the canonical form refuses (NaN, an unsafe integer, a NUL).
 */
export function contentHash(content: OutreachRequestContent): string {
  const canonical = {
    channel: content.channel,
    // "" and null both mean "no subject" to the validator, so they must hash alike.
    subject: content.subject === undefined || content.subject === "" ? null : content.subject,
    message: content.message,
    expression: content.expression,
    purpose: content.purpose,
    cap: content.cap,
    sendWindow: {
      start: isoTime(content.sendWindow.start, "sendWindow.start"),
      end: isoTime(content.sendWindow.end, "sendWindow.end"),
    },
    expiresAt: isoTime(content.expiresAt, "expiresAt"),
    targets: [...content.targets].sort(),
  };
  let json: string;
  try {
    json = canonicalJson(canonical);
  } catch (error) {
    throw new AppError("BAD_INPUT", `The request content cannot be hashed: ${(error as Error).message}.`, {
      field: "content",
    });
  }
  return `sha256:${createHash("sha256").update(json, "utf8").digest("hex")}`;
}

// ISO 8601 date-times with a zone only: Date.parse also reads "03/01/2026" and
// "2026-03-01T09:00:00", both in the machine's local time zone, so two nodes would disagree.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function isoTime(value: string | Date, field: string): string {
  const valid = value instanceof Date || (typeof value === "string" && ISO_DATE_TIME.test(value));
  const date = valid ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new AppError("BAD_INPUT", `${field} is not an ISO 8601 time with a zone.`, { field });
  }
  return date.toISOString();
}
