import type { ClientBase, Pool } from "pg";

export type JsonPrimitive = string | number | boolean | null;
export type JsonArray = readonly JsonValue[];
export type JsonObject = { readonly [key: string]: JsonValue };
export type JsonValue = JsonPrimitive | JsonArray | JsonObject;

/** One event of an audit chain, as stored and as exported. */
export type AuditEvent = {
  /** Position in the chain: 1, 2, 3... with no gaps. */
  seq: number;
  /** Lower-case hyphenated UUID. */
  id: string;
  /** Millisecond precision. */
  occurredAt: Date;
  type: string;
  actor: JsonObject;
  subject: JsonObject;
  payload: JsonObject;
  /** `hash` of the previous event, or `GENESIS_HASH` for seq 1. */
  prevHash: string;
  /** SHA-256 (lower-case hex) of the RFC 8785 canonical JSON of the other fields. */
  hash: string;
};

/** What the hash covers besides `prevHash`. */
export type AuditEventContent = Omit<AuditEvent, "prevHash" | "hash">;

export type NewAuditEvent = {
  type: string;
  actor: JsonObject;
  subject: JsonObject;
  payload: JsonObject;
  /** Default: `crypto.randomUUID()`. Upper-case input is stored lower-case. */
  id?: string;
  /** Default: now. */
  occurredAt?: Date;
};

export type AuditChainVerification = {
  ok: boolean;
  /** Events examined, up to and including the first broken one (or all of them). */
  checked: number;
  /** The first event that breaks the chain; for a removed event, the one after the gap. */
  firstBrokenEventId: string | null;
  /** Heads recorded elsewhere (the coordinator) that were compared; absent when none were. */
  headsChecked?: number | null;
};

export type AuditQueryable = Pool | ClientBase;
