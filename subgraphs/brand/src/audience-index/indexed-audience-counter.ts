import { count } from "drizzle-orm";
import { tagKeysOf } from "@brandpool/tag-expression";
import type { TagExpression } from "@brandpool/tag-expression";
import type { Database } from "../db/database.js";
import { members } from "../db/member.table.js";
import type { Channel } from "../members/expression.sql.js";
import type { AudienceCounter } from "../privacy-ledger/audience-counter.js";
import type { TagDictionary } from "../pool/tag-dictionary.service.js";
import type { AudienceIndex, Freshness } from "./audience-index.service.js";
import { countExpression } from "./count-expression.js";

/**
 * Exact counts from the audience index; while the index is not loaded, from `fallback` (SQL), so
 * a count is exact from the node's first request on. The ledger's counts (for another brand) are
 * as of the last change notified (`Freshness` "notified"); the owner's `countMembers` as of the
 * call (everything the owner committed before it).
 */
export class IndexedAudienceCounter implements AudienceCounter {
  constructor(
    private readonly index: AudienceIndex,
    private readonly dictionary: TagDictionary,
    private readonly fallback: AudienceCounter,
  ) {}

  count(db: Database, expression: TagExpression, channel: Channel | null): Promise<number> {
    return this.countAs("notified", db, expression, channel);
  }

  /** Members matching the expression, or every member when there is none (the owner's totalCount). */
  async countMembers(db: Database, expression: TagExpression | null): Promise<number> {
    if (expression) return this.countAs("committed", db, expression, null);
    const bitmaps = await this.index.current("committed");
    if (bitmaps) return bitmaps.all.size;
    const [row] = await db.select({ n: count() }).from(members);
    return row?.n ?? 0;
  }

  private async countAs(freshness: Freshness, db: Database, expression: TagExpression, channel: Channel | null): Promise<number> {
    // Unknown tags are refused (UNKNOWN_TAG) before anything is read, as in SQL.
    const entries = this.dictionary.entries(tagKeysOf(expression));
    const bitmaps = await this.index.current(freshness);
    if (!bitmaps) return this.fallback.count(db, expression, channel);
    return countExpression(
      expression,
      (key) => bitmaps.tag((entries.get(key) as { id: number }).id),
      channel ? bitmaps.consent[channel] : bitmaps.all,
    );
  }
}
