import { createHash } from "node:crypto";
import { assertJsonObject, assertStorableString } from "./audit-json.validate.js";
import type { AuditEventContent } from "./audit-chain.types.js";
import { canonicalize } from "./canonical-json.js";

/** `prevHash` of the first event (seq 1). */
export const GENESIS_HASH = "0".repeat(64);

const HASH = /^[0-9a-f]{64}$/;

/**
 * An event as the chain sees it: `occurredAt` is the ISO string that was hashed. Stored rows and
 * exported lines are checked in this form, so a timestamp that no longer fits the millisecond
 * ISO form (an edited row with microseconds) fails the hash instead of being rounded into a match.
 */
export type AuditChainLink = {
  seq: number;
  id: string;
  occurredAt: string;
  type: string;
  actor: unknown;
  subject: unknown;
  payload: unknown;
  prevHash: string;
};

/** The ISO string that is hashed for a timestamp: UTC, millisecond precision, 4-digit year. */
export function auditTimestamp(date: Date): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new Error("occurredAt is not a valid Date");
  const year = date.getUTCFullYear();
  // Outside 0001-9999 the ISO string gets a sign and six digits that Postgres does not read back.
  if (year < 1 || year > 9999) throw new Error("occurredAt must fall within the years 0001 to 9999");
  return date.toISOString();
}

/**
 * The exact text that is hashed: RFC 8785 canonical JSON of
 * `{ seq, id, occurredAt, type, actor, subject, payload, prevHash }`. Throws (plain Error) if a
 * field would not survive storage unchanged.
 */
export function canonicalAuditEventJson(event: AuditEventContent, prevHash: string): string {
  return canonicalLinkJson({ ...event, occurredAt: auditTimestamp(event.occurredAt), prevHash });
}

/** SHA-256, lower-case hex, of `canonicalAuditEventJson(event, prevHash)`. */
export function hashAuditEvent(event: AuditEventContent, prevHash: string): string {
  return sha256Hex(canonicalAuditEventJson(event, prevHash));
}

export function hashAuditChainLink(link: AuditChainLink): string {
  return sha256Hex(canonicalLinkJson(link));
}

function canonicalLinkJson(link: AuditChainLink): string {
  const { seq, id, occurredAt, type, actor, subject, payload, prevHash } = link;
  if (!Number.isSafeInteger(seq) || seq < 1) throw new Error("seq must be a positive safe integer");
  if (typeof id !== "string" || id === "") throw new Error("id must be a non-empty string");
  if (typeof occurredAt !== "string") throw new Error("occurredAt must be an ISO string");
  if (typeof type !== "string" || type === "") throw new Error("type must be a non-empty string");
  assertStorableString(type, "type");
  assertJsonObject(actor, "actor");
  assertJsonObject(subject, "subject");
  assertJsonObject(payload, "payload");
  if (typeof prevHash !== "string" || !HASH.test(prevHash)) throw new Error("prevHash must be 64 lower-case hex digits");
  const json = canonicalize({ seq, id, occurredAt, type, actor, subject, payload, prevHash });
  if (json === undefined) throw new Error("The event has no JSON form");
  return json;
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
