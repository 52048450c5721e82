import type pg from "pg";
import { appendAuditEvents, exportAuditLogPage, listAuditEvents, verifyAuditTable } from "@brandpool/audit-chain";
import type { AuditChainVerification, JsonObject } from "@brandpool/audit-chain";
import { AppError } from "@brandpool/errors";
import type { Principal } from "@brandpool/policy";
import { auditEventConnection } from "@brandpool/subgraph-kit";
import type { AuditEventConnection, AuditExportPage } from "@brandpool/subgraph-kit";
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

  /**
   * The log as an auditor may list it: a brand's auditor only the events concerning its brand,
   * the platform auditor all. Cedar let only auditors this far; the filter is decided here again.
   */
  async list(
    principal: Principal,
    args: { first: number | null; after: string | null; action: string | null; brandId: string | null },
  ): Promise<AuditEventConnection> {
    if (principal.kind !== "user" || principal.role !== "auditor") throw new AppError("FORBIDDEN");
    const page = await listAuditEvents(this.pool, AUDIT_TABLE, { ...args, visibleTo: principal.brand?.id ?? null });
    return auditEventConnection(page);
  }

  async exportPage(after: number, first: number): Promise<AuditExportPage> {
    const page = await exportAuditLogPage(this.pool, AUDIT_TABLE, after, first);
    return { lines: page.lines, lastSequence: page.lastSeq };
  }
}
