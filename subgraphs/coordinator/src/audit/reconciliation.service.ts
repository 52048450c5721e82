import type pg from "pg";
import { AppError } from "@brandpool/errors";
import type { Principal } from "@brandpool/policy";
import { AUDIT_TABLE } from "./platform-audit.service.js";
import { RELEASE_EVENT, STATUS_EVENT, compareOutreachLogs } from "./compare-outreach-logs.js";
import type { OwnerEvidence } from "./compare-outreach-logs.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ReconciliationStart {
  requestId: string;
  targets: { requestId: string; brandId: string }[];
}

/** The representation the gateway sends back, each target's `ownerEvents` fetched from its node. */
export interface ReconciliationReference {
  requestId: string;
  targets?: ({ ownerEvents?: string | null } | null)[];
}

/**
 * `reconcileOutreachRequest`: the coordinator names the request's targets; the gateway asks each
 * target's node for its own log's evidence with the auditor's rights and hands it back here, where
 * it is compared with the platform log. No service calls another: the query plan does the fetching.
 */
export class ReconciliationService {
  constructor(private readonly pool: pg.Pool) {}

  async start(principal: Principal, requestId: string): Promise<ReconciliationStart> {
    const { targets } = await this.targetsVisibleTo(principal, requestId);
    return { requestId: requestId.toLowerCase(), targets: targets.map((brandId) => ({ requestId: requestId.toLowerCase(), brandId })) };
  }

  async reconcile(principal: Principal, reference: ReconciliationReference): Promise<{ ok: boolean; mismatches: string[] }> {
    const requestId = reference.requestId;
    const { targets, whole } = await this.targetsVisibleTo(principal, requestId);
    const given = reference.targets ?? [];
    // The plan returns the targets in the order `start` gave them (brand id order).
    const evidence = new Map(targets.map((brandId, index) => [brandId, parseEvidence(given[index]?.ownerEvents ?? null)]));
    const { rows } = await this.pool.query<{ type: string; brand_id: string; payload: Record<string, unknown> }>(
      `SELECT type, subject->>'brand' AS brand_id, payload FROM ${AUDIT_TABLE} WHERE type = ANY($1::text[]) AND payload->>'requestId' = $2 ORDER BY seq`,
      [[STATUS_EVENT, RELEASE_EVENT], requestId],
    );
    // A target's auditor reconciles its own part only: the other targets' events are not its to see.
    const events = whole ? rows : rows.filter((row) => targets.includes(row.brand_id));
    const mismatches = compareOutreachLogs(requestId, targets, events.map((row) => ({ type: row.type, brandId: row.brand_id, payload: row.payload })), evidence);
    return { ok: mismatches.length === 0, mismatches };
  }

  /** The request's targets the caller reconciles, in brand id order; NOT_FOUND for a request its brand has no part in. */
  private async targetsVisibleTo(principal: Principal, requestId: string): Promise<{ targets: string[]; whole: boolean }> {
    if (principal.kind !== "user" || principal.role !== "auditor") throw new AppError("FORBIDDEN");
    if (typeof requestId !== "string" || !UUID.test(requestId)) throw new AppError("BAD_INPUT", "requestId is not a request id.", { field: "requestId" });
    const { rows } = await this.pool.query<{ requester_brand: string; brand_id: string }>(
      `SELECT r.requester_brand, t.brand_id FROM outreach_requests r JOIN outreach_targets t ON t.request_id = r.id WHERE r.id = $1 ORDER BY t.brand_id`,
      [requestId],
    );
    const own = principal.brand?.id;
    const all = rows.map((row) => row.brand_id);
    if (rows.length === 0) throw new AppError("NOT_FOUND", "No such outreach request.");
    // The platform auditor and the requester's auditor reconcile every target; a target's auditor
    // only its own part, as a target never learns the request's other targets.
    if (own === undefined || rows[0]?.requester_brand === own) return { targets: all, whole: true };
    if (all.includes(own)) return { targets: [own], whole: false };
    throw new AppError("NOT_FOUND", "No such outreach request.");
  }
}

function parseEvidence(json: string | null): OwnerEvidence | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as Partial<OwnerEvidence>;
    if (typeof value.brandId !== "string" || typeof value.requestId !== "string" || !Array.isArray(value.events)) return null;
    return value as OwnerEvidence;
  } catch {
    return null;
  }
}
