import pg from "pg";
import { AUDIENCE_INDEX_POOL_OPTIONS, AudienceIndex, countExpression } from "@brandpool/brand-node/audience-index";
import type { TagExpression } from "@brandpool/tag-expression";

/** A node's audience index, built in the bench process from the node's database. */
export interface BenchAudienceIndex {
  /** Exact members matching the expression (no channel: the estimate's own count). */
  count(expression: TagExpression): Promise<number>;
  close(): Promise<void>;
}

/**
 * Builds the node's own index module here the way the node builds it (its own pool, one load, a
 * catch-up before every count, as the node's IndexedAudienceCounter counts), so that the count
 * itself is timed without HTTP or the ledger.
 */
export async function buildAudienceIndex(options: { databaseUrl: string }): Promise<BenchAudienceIndex> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, ...AUDIENCE_INDEX_POOL_OPTIONS });
  try {
    const ids = new Map((await pool.query<{ id: number; key: string }>("SELECT id, key FROM tag_dictionary")).rows.map((r) => [r.key, r.id]));
    const index = new AudienceIndex(pool);
    await index.load();
    return {
      async count(expression) {
        const bitmaps = await index.current();
        if (!bitmaps) throw new Error("the audience index did not load");
        return countExpression(
          expression,
          (key) => {
            const id = ids.get(key);
            if (id === undefined) throw new Error(`tag ${key} is not in the node's dictionary`);
            return bitmaps.tag(id);
          },
          bitmaps.all,
        );
      },
      close: () => pool.end(),
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
