import { AuditChainVerifier } from "./audit-chain.verifier.js";
import { linkFromRow, readAuditRows } from "./audit-table.rows.js";
import type { AuditChainVerification, AuditQueryable } from "./audit-chain.types.js";

/**
 * Verifies a stored chain from seq 1, reading 1,000 rows at a time in seq order, and stops at the
 * first broken event. Appends that commit while it runs extend the tail and are checked too.
 *
 * A chain alone cannot show that events were cut off its end; that is what the chain heads
 * recorded elsewhere (the coordinator's log) are for.
 */
export async function verifyAuditTable(queryable: AuditQueryable, table: string): Promise<AuditChainVerification> {
  const verifier = new AuditChainVerifier();
  for await (const row of readAuditRows(queryable, table)) {
    const { link, faithful } = linkFromRow(row);
    if (!verifier.accept(link, faithful)) break;
  }
  return verifier.result();
}
