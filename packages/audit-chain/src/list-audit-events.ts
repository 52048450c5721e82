import { AppError } from "@brandpool/errors";
import { quoteAuditTable } from "./audit-table.name.js";
import { ACTOR_BRAND_SQL, OBJECT_ID_SQL, TARGET_BRAND_SQL, TARGET_BRANDS_SQL, actorSideSql, involvesBrandSql } from "./audit-event-brands.sql.js";
import type { AuditQueryable } from "./audit-chain.types.js";

/** Largest page of an audit event listing. */
export const MAX_AUDIT_EVENTS_PAGE = 100;
const DEFAULT_PAGE = 20;

const CURSOR = /^a:([1-9]\d{0,15})$/;
const EVENT_TYPE = /^[a-z]+(\.[a-z_]+)+$/;
const BRAND_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** What an auditor sees of one event in a listing: who, about whom and what, never the payload. */
export interface AuditEventSummary {
  id: string;
  sequence: number;
  action: string;
  actorBrandId: string | null;
  targetBrandId: string | null;
  targetBrandIds: string[];
  objectId: string | null;
  /** ISO 8601 with milliseconds. */
  at: string;
}

export interface AuditEventPage {
  edges: { cursor: string; node: AuditEventSummary }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export interface ListAuditEventsOptions {
  first?: number | null | undefined;
  after?: string | null | undefined;
  /** Only events of this type (`outreach.requested`). */
  action?: string | null | undefined;
  /** Only events concerning this brand, as actor or target. */
  brandId?: string | null | undefined;
  /** The caller sees only events concerning this brand (a brand's auditor); null: all (platform auditor). */
  visibleTo: string | null;
}

/** Cursors are opaque: base64url of the event's sequence number. */
export function encodeAuditCursor(sequence: number): string {
  return Buffer.from(`a:${sequence}`, "utf8").toString("base64url");
}

export function decodeAuditCursor(cursor: string): number {
  const match = CURSOR.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const sequence = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(sequence)) throw new AppError("BAD_INPUT", "The cursor `after` is not valid.", { field: "after" });
  return sequence;
}

/**
 * One page of an audit log in chain order (oldest first), with the caller's visibility applied in
 * the query itself, so a brand's auditor never reads a row of another brand's business. Bad
 * input (cursor, page size, filters) is a typed error before anything is read.
 */
export async function listAuditEvents(queryable: AuditQueryable, table: string, options: ListAuditEventsOptions): Promise<AuditEventPage> {
  const first = options.first ?? DEFAULT_PAGE;
  if (Number.isInteger(first) && first > MAX_AUDIT_EVENTS_PAGE) {
    throw new AppError("LIMIT_EXCEEDED", `first must be between 1 and ${MAX_AUDIT_EVENTS_PAGE}.`, { field: "first", limit: MAX_AUDIT_EVENTS_PAGE });
  }
  if (!Number.isInteger(first) || first < 1) throw new AppError("BAD_INPUT", `first must be between 1 and ${MAX_AUDIT_EVENTS_PAGE}.`, { field: "first" });
  if (options.action != null && (options.action.length > 100 || !EVENT_TYPE.test(options.action))) {
    throw new AppError("BAD_INPUT", "action must be an event type such as outreach.requested.", { field: "action" });
  }
  if (options.brandId != null && !BRAND_ID.test(options.brandId)) throw new AppError("BAD_INPUT", "brandId is not a brand id.", { field: "brandId" });
  const after = options.after != null ? decodeAuditCursor(options.after) : 0;

  const values: unknown[] = [String(after)];
  const where = ["e.seq > $1::bigint"];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  // The caller's brand on the actor side (it acted, or the request is its own) sees every target;
  // on the target side only itself, as a target of a request never learns the other targets.
  const actorSide = options.visibleTo === null ? "true" : actorSideSql(param(options.visibleTo));
  if (options.visibleTo !== null) where.push(involvesBrandSql(`$${values.length}`));
  if (options.brandId != null) where.push(involvesBrandSql(param(options.brandId)));
  if (options.action != null) where.push(`e.type = ${param(options.action)}`);
  const { rows } = await queryable.query<{
    seq: string;
    id: string;
    type: string;
    actor_brand: string | null;
    target_brand: string | null;
    target_brands: string[];
    object_id: string | null;
    occurred_at: Date;
    actor_side: boolean;
  }>(
    `SELECT e.seq::text AS seq, e.id::text AS id, e.type, ${ACTOR_BRAND_SQL} AS actor_brand, ${TARGET_BRAND_SQL} AS target_brand,
            ${TARGET_BRANDS_SQL} AS target_brands, ${OBJECT_ID_SQL} AS object_id, e.occurred_at, ${actorSide} AS actor_side
       FROM ${quoteAuditTable(table)} AS e WHERE ${where.join(" AND ")} ORDER BY e.seq LIMIT ${first + 1}`,
    values,
  );
  const edges = rows.slice(0, first).map((row) => {
    const sequence = Number(row.seq);
    const all = row.target_brands.length > 0 ? row.target_brands : row.target_brand ? [row.target_brand] : [];
    const targetSideOnly = options.visibleTo !== null && !row.actor_side;
    const targets = targetSideOnly ? [options.visibleTo as string] : all;
    const targetBrandId = targetSideOnly ? (options.visibleTo as string) : row.target_brand;
    return {
      cursor: encodeAuditCursor(sequence),
      node: {
        id: row.id,
        sequence,
        action: row.type,
        actorBrandId: row.actor_brand,
        targetBrandId,
        targetBrandIds: [...new Set(targets)].sort(),
        objectId: row.object_id,
        at: row.occurred_at.toISOString(),
      },
    };
  });
  return { edges, hasNextPage: rows.length > first, hasPreviousPage: after > 0 };
}
