import type pg from "pg";
import { appendAuditEvents, verifyAuditTable } from "@brandpool/audit-chain";
import type { AuditChainVerification, JsonObject } from "@brandpool/audit-chain";
import type { Transaction } from "../db/transaction.js";

/** The platform audit log (append-only, hash-chained; see migrations/coordinator). */
export const AUDIT_TABLE = "audit_events";

export class PlatformAudit {
  constructor(private readonly pool: pg.Pool) {}

  /** Appends inside the caller's transaction, so the change and its event commit together. */
  async record(tx: Transaction, events: { type: string; actor: JsonObject; subject: JsonObject; payload: JsonObject }[]): Promise<void> {
    if (events.length > 0) await appendAuditEvents(tx.client, AUDIT_TABLE, events);
  }

  verify(): Promise<AuditChainVerification> {
    return verifyAuditTable(this.pool, AUDIT_TABLE);
  }
}
