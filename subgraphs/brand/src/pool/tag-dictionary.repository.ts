import { sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { tagDictionary } from "../db/tag-dictionary.table.js";

export interface DictionaryEntry {
  id: number;
  key: string;
  sensitive: boolean;
}

export class TagDictionaryRepository {
  constructor(private readonly db: Database) {}

  async all(): Promise<DictionaryEntry[]> {
    return this.db.select({ id: tagDictionary.id, key: tagDictionary.key, sensitive: tagDictionary.sensitive }).from(tagDictionary);
  }

  /** Adds new keys and raises `sensitive` flags; a flag is never lowered here either. */
  async merge(tags: readonly { key: string; sensitive: boolean }[]): Promise<void> {
    if (tags.length === 0) return;
    await this.db
      .insert(tagDictionary)
      .values(tags.map((tag) => ({ key: tag.key, sensitive: tag.sensitive })))
      .onConflictDoUpdate({
        target: tagDictionary.key,
        set: { sensitive: sql`${tagDictionary.sensitive} OR excluded.sensitive`, syncedAt: sql`now()` },
      });
  }
}
