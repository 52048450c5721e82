import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { coordinatorOutbox } from "../db/outbox.table.js";

export interface PendingEvent {
  id: string;
  type: string;
  payload: unknown;
}

export interface Refusal {
  id: string;
  reason: string;
  message: string;
}

export interface RefusalRecord {
  id: string;
  type: string;
  reason: string;
  message: string;
  refusedAt: Date;
  /** `refused_at` in microseconds since the epoch, exact (a Date keeps milliseconds only). */
  refusedAtMicros: string;
}

/** The position of a refusal in the newest-first listing. */
export interface RefusalPosition {
  refusedAtMicros: string;
  id: string;
}

const refusedAtMicros = sql<string>`(extract(epoch from ${coordinatorOutbox.refusedAt}) * 1000000)::bigint::text`;

/** The coordinator outbox (`coordinator_outbox`). */
export class OutboxRepository {
  constructor(private readonly db: Database) {}

  /** The oldest events neither pushed nor set aside. */
  pending(limit: number): Promise<PendingEvent[]> {
    return this.db
      .select({ id: coordinatorOutbox.id, type: coordinatorOutbox.type, payload: coordinatorOutbox.payload })
      .from(coordinatorOutbox)
      .where(and(isNull(coordinatorOutbox.pushedAt), isNull(coordinatorOutbox.refusedAt)))
      .orderBy(asc(coordinatorOutbox.createdAt), asc(coordinatorOutbox.id))
      .limit(limit);
  }

  /** Marks what the coordinator accepted as pushed and sets aside what it refused, together. */
  async settle(accepted: readonly string[], refused: readonly Refusal[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      const open = and(isNull(coordinatorOutbox.pushedAt), isNull(coordinatorOutbox.refusedAt));
      if (accepted.length > 0) {
        await tx.update(coordinatorOutbox).set({ pushedAt: sql`now()` }).where(and(inArray(coordinatorOutbox.id, [...accepted]), open));
      }
      for (const refusal of refused) {
        await tx
          .update(coordinatorOutbox)
          .set({ refusedAt: sql`now()`, refusalReason: refusal.reason, refusalMessage: refusal.message })
          .where(and(eq(coordinatorOutbox.id, refusal.id), open));
      }
    });
  }

  /** Set-aside events, newest first, after `after` (exclusive). */
  refusals(limit: number, after: RefusalPosition | null): Promise<RefusalRecord[]> {
    const afterTime = after ? sql`('epoch'::timestamptz + ${after.refusedAtMicros}::bigint * interval '1 microsecond')` : undefined;
    return this.db
      .select({
        id: coordinatorOutbox.id,
        type: coordinatorOutbox.type,
        reason: sql<string>`${coordinatorOutbox.refusalReason}`,
        message: sql<string>`${coordinatorOutbox.refusalMessage}`,
        refusedAt: sql<Date>`${coordinatorOutbox.refusedAt}`.mapWith(coordinatorOutbox.refusedAt),
        refusedAtMicros,
      })
      .from(coordinatorOutbox)
      .where(
        and(
          isNotNull(coordinatorOutbox.refusedAt),
          after && afterTime
            ? or(lt(coordinatorOutbox.refusedAt, afterTime), and(eq(coordinatorOutbox.refusedAt, afterTime), lt(coordinatorOutbox.id, after.id)))
            : undefined,
        ),
      )
      .orderBy(desc(coordinatorOutbox.refusedAt), desc(coordinatorOutbox.id))
      .limit(limit);
  }
}
