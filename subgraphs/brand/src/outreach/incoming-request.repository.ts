import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { incomingRequests } from "../db/incoming-request.table.js";

export type IncomingRequestRecord = typeof incomingRequests.$inferSelect;

/** Reads of this node's copies of outreach requests (status moves go through setTargetStatus). */
export class IncomingRequestRepository {
  constructor(private readonly db: Database) {}

  /** The copy, locked until the transaction ends, so two deciders cannot both check and move it. */
  async lock(requestId: string): Promise<IncomingRequestRecord | undefined> {
    const [row] = await this.db.select().from(incomingRequests).where(eq(incomingRequests.requestId, requestId)).for("update");
    return row;
  }

  async find(requestId: string): Promise<IncomingRequestRecord | undefined> {
    const [row] = await this.db.select().from(incomingRequests).where(eq(incomingRequests.requestId, requestId));
    return row;
  }

  /** PENDING copies past their expiry, oldest first. */
  async expiredPending(limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ requestId: incomingRequests.requestId })
      .from(incomingRequests)
      .where(and(eq(incomingRequests.status, "PENDING"), lte(incomingRequests.expiresAt, sql`now()`)))
      .orderBy(asc(incomingRequests.expiresAt))
      .limit(limit);
    return rows.map((row) => row.requestId);
  }

  /** PENDING copies the approver has not been told of (`new`), or not warned of although expiring within `hours`. */
  async awaitingNotice(kind: "new" | "expiring", hours: number, limit: number): Promise<IncomingRequestRecord[]> {
    const filter =
      kind === "new"
        ? isNull(incomingRequests.approverToldAt)
        : and(isNull(incomingRequests.approverWarnedAt), lte(incomingRequests.expiresAt, sql`now() + make_interval(hours => ${hours})`));
    return this.db
      .select()
      .from(incomingRequests)
      .where(and(eq(incomingRequests.status, "PENDING"), sql`${incomingRequests.expiresAt} > now()`, filter))
      .orderBy(asc(incomingRequests.receivedAt))
      .limit(limit)
      .for("update", { skipLocked: true });
  }

  async markNoticed(requestId: string, kind: "new" | "expiring"): Promise<void> {
    await this.db
      .update(incomingRequests)
      .set(kind === "new" ? { approverToldAt: new Date() } : { approverWarnedAt: new Date() })
      .where(eq(incomingRequests.requestId, requestId));
  }
}
