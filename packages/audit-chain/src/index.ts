export { appendAuditEvent } from "./append-audit-event.js";
export { appendAuditEvents, auditTailOf, lockAuditTailSql } from "./append-audit-events.js";
export type { AppendOptions, AuditTail } from "./append-audit-events.js";
export { GENESIS_HASH, canonicalAuditEventJson, hashAuditEvent } from "./audit-chain.hash.js";
export { canonicalJson } from "./canonical-json.js";
export { auditTableSql } from "./audit-table.sql.js";
export { assertAuditTableName } from "./audit-table.name.js";
export { exportAuditLog } from "./export-audit-log.js";
export { verifyAuditEvents } from "./verify-audit-events.js";
export { verifyAuditExport } from "./verify-audit-export.js";
export type { AuditExportVerification } from "./verify-audit-export.js";
export { verifyAuditTable } from "./verify-audit-table.js";
export type {
  AuditChainVerification,
  AuditEvent,
  AuditEventContent,
  AuditQueryable,
  JsonArray,
  JsonObject,
  JsonPrimitive,
  JsonValue,
  NewAuditEvent,
} from "./audit-chain.types.js";
export { MAX_EXPORT_PAGE, exportAuditLogPage } from "./export-audit-log.js";
export { MAX_AUDIT_EVENTS_PAGE, decodeAuditCursor, encodeAuditCursor, listAuditEvents } from "./list-audit-events.js";
export type { AuditEventPage, AuditEventSummary, ListAuditEventsOptions } from "./list-audit-events.js";
export { checkAuditHeads, compareWithHeads, readAuditHead } from "./audit-heads.js";
export type { AuditHeadsCheck, RecordedAuditHead } from "./audit-heads.js";
export { HEAD_RECORDED_EVENT, headsFromExport } from "./recorded-heads.js";
