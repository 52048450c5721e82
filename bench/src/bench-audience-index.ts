import pg from "pg";
import { AUDIENCE_INDEX_POOL_OPTIONS, AudienceIndex, countExpression } from "@brandpool/brand-node/audience-index";
import type { TagExpression } from "@brandpool/tag-expression";

/** A node's audience index, built in the bench process from the node's database. */
export interface BenchAudienceIndex {
  /** Exact members matching the expression (no channel: the estimate's own count), as the node counts for another brand (a catch-up only after a notified change). */
  count(expression: TagExpression): Promise<number>;
  /** The same count over the bitmaps as of the last catch-up, without one: the bitmaps' own time. */
  countBitmaps(expression: TagExpression): number;
  /** Caught up (loaded again first if the node's prune had moved past this index). */
  ready(): Promise<void>;
  /** Catch-up round trips so far (a count makes one only after a change was notified). */
  catchUps(): number;
  /** Loads since the first: each time the node's prune job deleted change rows this index had not read. */
  reloads(): number;
  close(): Promise<void>;
}

/**
 * Builds the node's own index module here the way the node builds it (its own pool, one load, its
 * change feed, and a catch-up before a count when a change was notified since the last one, as
 * the node's IndexedAudienceCounter counts for another brand), so that the count itself is timed
 * without HTTP or the ledger.
 */
export async function buildAudienceIndex(options: { databaseUrl: string }): Promise<BenchAudienceIndex> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, ...AUDIENCE_INDEX_POOL_OPTIONS });
  try {
    const ids = new Map((await pool.query<{ id: number; key: string }>("SELECT id, key FROM tag_dictionary")).rows.map((r) => [r.key, r.id]));
    const index = new AudienceIndex(pool);
    await index.load();
    await index.watch(options.databaseUrl);
    let reloads = 0;
    // The node's own prune job deletes change rows its index has read; when this index had not
    // read them yet, it reloads (its current() answers null meanwhile), as a second node would.
    const upToDate = async () => {
      for (;;) {
        const bitmaps = await index.current("notified");
        if (bitmaps) return bitmaps;
        reloads++;
        await index.load();
      }
    };
    let last: Awaited<ReturnType<typeof upToDate>> | null = null;
    const countOver = (bitmaps: NonNullable<typeof last>, expression: TagExpression) =>
      countExpression(
        expression,
        (key) => {
          const id = ids.get(key);
          if (id === undefined) throw new Error(`tag ${key} is not in the node's dictionary`);
          return bitmaps.tag(id);
        },
        bitmaps.all,
      );
    return {
      async count(expression) {
        last = await upToDate();
        return countOver(last, expression);
      },
      countBitmaps(expression) {
        if (!last) throw new Error("countBitmaps before a count or ready()");
        return countOver(last, expression);
      },
      async ready() {
        last = await upToDate();
      },
      reloads: () => reloads,
      catchUps: () => index.stats()?.catchUps ?? 0,
      close: async () => {
        await index.unwatch();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
