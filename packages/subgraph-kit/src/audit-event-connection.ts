import type { AuditEvent, AuditEventConnection } from "./audit-event.type.js";

/** What @brandpool/audit-chain's listAuditEvents returns (structural: this package does not depend on it). */
export interface AuditEventPage {
  edges: { cursor: string; node: AuditEvent }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** A page of listAuditEvents as the Relay connection both subgraphs serve. */
export function auditEventConnection(page: AuditEventPage): AuditEventConnection {
  return {
    edges: page.edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.edges[0]?.cursor ?? null,
      endCursor: page.edges.at(-1)?.cursor ?? null,
    },
  };
}
