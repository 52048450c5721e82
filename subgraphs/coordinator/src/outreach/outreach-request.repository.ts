import { and, desc, eq, getTableColumns, gt, inArray, lt, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { outreachRequests, outreachTargets } from "../db/outreach-request.table.js";

export type OutreachRequestRecord = typeof outreachRequests.$inferSelect;
export type OutreachTargetRecord = typeof outreachTargets.$inferSelect;

/** The position of a request in a newest-first list: its creation time to the microsecond, and id. */
export interface ListPosition {
  createdAt: string;
  id: string;
}

// Postgres keeps microseconds, a JS Date milliseconds: the cursor keeps Postgres's own text.
const CREATED_AT_TEXT = sql<string>`to_char(${outreachRequests.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export class OutreachRequestRepository {
  constructor(private readonly db: Database) {}

  async insert(request: typeof outreachRequests.$inferInsert, targets: readonly string[]): Promise<{ request: OutreachRequestRecord; targets: OutreachTargetRecord[] }> {
    const [row] = await this.db.insert(outreachRequests).values(request).returning();
    const inserted = await this.db
      .insert(outreachTargets)
      .values(targets.map((brandId) => ({ requestId: (row as OutreachRequestRecord).id, brandId })))
      .returning();
    return { request: row as OutreachRequestRecord, targets: inserted };
  }

  /** New requests from `requester` to each owner in the last 24 hours. */
  async recentPerOwner(requester: string, owners: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db
      .select({ brandId: outreachTargets.brandId, n: sql<number>`count(*)::int` })
      .from(outreachTargets)
      .innerJoin(outreachRequests, eq(outreachRequests.id, outreachTargets.requestId))
      .where(
        and(
          eq(outreachRequests.requesterBrand, requester),
          inArray(outreachTargets.brandId, [...owners]),
          gt(outreachRequests.createdAt, sql`now() - interval '24 hours'`),
        ),
      )
      .groupBy(outreachTargets.brandId);
    return new Map(rows.map((row) => [row.brandId, row.n]));
  }

  async find(id: string): Promise<OutreachRequestRecord | undefined> {
    const [row] = await this.db.select().from(outreachRequests).where(eq(outreachRequests.id, id));
    return row;
  }

  async targetsOf(requestIds: readonly string[]): Promise<OutreachTargetRecord[]> {
    if (requestIds.length === 0) return [];
    return this.db.select().from(outreachTargets).where(inArray(outreachTargets.requestId, [...requestIds])).orderBy(outreachTargets.brandId);
  }

  /**
   * A newest-first page: requests from `brand` (OUTGOING) or to it (INCOMING), after `position`,
   * optionally only those with a target in one of `statuses` (for INCOMING: the brand's own target).
   */
  async page(options: {
    brand: string;
    direction: "INCOMING" | "OUTGOING";
    statuses: readonly string[] | null;
    after: ListPosition | null;
    limit: number;
  }): Promise<(OutreachRequestRecord & { position: string })[]> {
    const { brand, direction, statuses, after, limit } = options;
    const statusFilter = statuses && statuses.length > 0 ? inArray(outreachTargets.status, statuses as OutreachTargetRecord["status"][]) : undefined;
    const filter: SQL | undefined =
      direction === "OUTGOING"
        ? and(
            eq(outreachRequests.requesterBrand, brand),
            statusFilter
              ? sql`EXISTS (SELECT 1 FROM ${outreachTargets} WHERE ${outreachTargets.requestId} = ${outreachRequests.id} AND ${statusFilter})`
              : undefined,
          )
        : sql`EXISTS (SELECT 1 FROM ${outreachTargets} WHERE ${outreachTargets.requestId} = ${outreachRequests.id} AND ${outreachTargets.brandId} = ${brand}${statusFilter ? sql` AND ${statusFilter}` : sql``})`;
    const before = after
      ? or(
          sql`${outreachRequests.createdAt} < ${after.createdAt}::timestamptz`,
          and(sql`${outreachRequests.createdAt} = ${after.createdAt}::timestamptz`, lt(outreachRequests.id, after.id)),
        )
      : undefined;
    return this.db
      .select({ ...getTableColumns(outreachRequests), position: CREATED_AT_TEXT })
      .from(outreachRequests)
      .where(and(filter, before))
      .orderBy(desc(outreachRequests.createdAt), desc(outreachRequests.id))
      .limit(limit);
  }
}
