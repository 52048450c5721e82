import { AppError } from "@brandpool/errors";
import type { DictionaryEntry, TagDictionaryRepository } from "./tag-dictionary.repository.js";

/**
 * The shared taxonomy with this node's small integer ids. Kept in memory (a few hundred tags);
 * the database copy survives restarts and gives members stable ids.
 */
export class TagDictionary {
  private byKey = new Map<string, DictionaryEntry>();
  private byId = new Map<number, string>();

  constructor(private readonly repository: TagDictionaryRepository) {}

  async load(): Promise<void> {
    const entries = await this.repository.all();
    this.byKey = new Map(entries.map((entry) => [entry.key, entry]));
    this.byId = new Map(entries.map((entry) => [entry.id, entry.key]));
  }

  async merge(tags: readonly { key: string; sensitive: boolean }[]): Promise<void> {
    const changed = tags.filter((tag) => {
      const known = this.byKey.get(tag.key);
      return !known || (tag.sensitive && !known.sensitive);
    });
    if (changed.length === 0) return;
    await this.repository.merge(changed);
    await this.load();
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** Entries of the given keys; any key outside the taxonomy is UNKNOWN_TAG (naming them all). */
  entries(keys: readonly string[]): Map<string, DictionaryEntry> {
    const unknown = keys.filter((key) => !this.byKey.has(key));
    if (unknown.length > 0) {
      throw new AppError("UNKNOWN_TAG", `Not in the taxonomy: ${unknown.join(", ")}.`, { tags: unknown });
    }
    return new Map(keys.map((key) => [key, this.byKey.get(key) as DictionaryEntry]));
  }

  keysOf(ids: readonly number[]): string[] {
    return ids.flatMap((id) => {
      const key = this.byId.get(id);
      return key ? [key] : [];
    }).sort();
  }
}
