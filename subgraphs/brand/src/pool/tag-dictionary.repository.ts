import { sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { members } from "../db/member.table.js";
import { checkedDimensions, tagDictionary } from "../db/tag-dictionary.table.js";

export type Cardinality = "ONE" | "MANY";

export interface DictionaryEntry {
  id: number;
  key: string;
  sensitive: boolean;
  cardinality: Cardinality;
}

export interface TaxonomyEntry {
  key: string;
  sensitive: boolean;
  cardinality: Cardinality;
}

export class TagDictionaryRepository {
  constructor(private readonly db: Database) {}

  async all(): Promise<DictionaryEntry[]> {
    return this.db
      .select({ id: tagDictionary.id, key: tagDictionary.key, sensitive: tagDictionary.sensitive, cardinality: tagDictionary.cardinality })
      .from(tagDictionary);
  }

  /**
   * Adds new keys, raises `sensitive` flags (never lowered here either) and takes the taxonomy's
   * cardinality (fixed at the coordinator; a node that knew a tag before cardinalities learns it).
   */
  async merge(tags: readonly TaxonomyEntry[]): Promise<void> {
    if (tags.length === 0) return;
    await this.db
      .insert(tagDictionary)
      .values(tags.map((tag) => ({ key: tag.key, sensitive: tag.sensitive, cardinality: tag.cardinality })))
      .onConflictDoUpdate({
        target: tagDictionary.key,
        set: { sensitive: sql`${tagDictionary.sensitive} OR excluded.sensitive`, cardinality: sql`excluded.cardinality`, syncedAt: sql`now()` },
      });
  }

  async checkedDimensions(): Promise<Set<string>> {
    const rows = await this.db.select({ dimension: checkedDimensions.dimension }).from(checkedDimensions);
    return new Set(rows.map((row) => row.dimension));
  }

  /** Members holding two or more of these tag ids (the values of one single-valued dimension). */
  async membersWithTwoOf(tagIds: readonly number[]): Promise<number> {
    const ids = sql`${`{${tagIds.join(",")}}`}::integer[]`;
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(members)
      .where(sql`${members.tagIds} && ${ids} AND (SELECT count(*) FROM unnest(${members.tagIds}) AS t WHERE t = ANY(${ids})) > 1`);
    return row?.n ?? 0;
  }

  async markChecked(dimension: string): Promise<void> {
    await this.db.insert(checkedDimensions).values({ dimension }).onConflictDoNothing();
  }
}
