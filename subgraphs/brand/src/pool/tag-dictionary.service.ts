import { AppError } from "@brandpool/errors";
import type { QuestionTaxonomy } from "@brandpool/tag-expression";
import type { Cardinality, DictionaryEntry, TagDictionaryRepository, TaxonomyEntry } from "./tag-dictionary.repository.js";

/**
 * The shared taxonomy with this node's small integer ids. Kept in memory (a few hundred tags);
 * the database copy survives restarts and gives members stable ids.
 */
export class TagDictionary implements QuestionTaxonomy {
  private byKey = new Map<string, DictionaryEntry>();
  private byId = new Map<number, string>();
  /** Per single-valued dimension (as the taxonomy declares it), the ids of its values. */
  private singleValued = new Map<string, number[]>();
  /** Single-valued dimensions this node has checked its members against (see checkPending). */
  private checked = new Set<string>();

  constructor(private readonly repository: TagDictionaryRepository) {}

  async load(): Promise<void> {
    const entries = await this.repository.all();
    this.checked = await this.repository.checkedDimensions();
    this.byKey = new Map(entries.map((entry) => [entry.key, entry]));
    this.byId = new Map(entries.map((entry) => [entry.id, entry.key]));
    this.singleValued = new Map();
    for (const entry of entries) {
      if (entry.cardinality !== "ONE") continue;
      const dimension = dimensionOf(entry.key);
      this.singleValued.set(dimension, [...(this.singleValued.get(dimension) ?? []), entry.id]);
    }
  }

  async merge(tags: readonly TaxonomyEntry[]): Promise<void> {
    const changed = tags.filter((tag) => {
      const known = this.byKey.get(tag.key);
      return !known || (tag.sensitive && !known.sensitive) || tag.cardinality !== known.cardinality;
    });
    if (changed.length === 0) return;
    await this.repository.merge(changed);
    await this.load();
  }

  /**
   * The question key's view of the taxonomy: ONE when the taxonomy says so and this node's
   * members were checked to hold at most one value each; MANY until then, which merges less
   * but never merges two wordings that differ on this node's data.
   */
  cardinalityOf(dimension: string): Cardinality {
    return this.singleValued.has(dimension) && this.checked.has(dimension) ? "ONE" : "MANY";
  }

  /** What the taxonomy declares, which every write enforces (imports, tagging). */
  declaredCardinalityOf(dimension: string): Cardinality {
    return this.singleValued.has(dimension) ? "ONE" : "MANY";
  }

  /**
   * Checks each single-valued dimension not checked yet: with no member holding two of its
   * values, it is recorded as checked and keys treat it as ONE from then on (writes keep it so).
   * Returns the dimensions that still have such members, and how many.
   */
  async checkPending(): Promise<{ dimension: string; members: number }[]> {
    const pending: { dimension: string; members: number }[] = [];
    for (const [dimension, ids] of this.singleValued) {
      if (this.checked.has(dimension)) continue;
      const members = ids.length < 2 ? 0 : await this.repository.membersWithTwoOf(ids);
      if (members > 0) {
        pending.push({ dimension, members });
        continue;
      }
      await this.repository.markChecked(dimension);
      this.checked.add(dimension);
    }
    return pending;
  }

  /**
   * For a tag of a single-valued dimension, the ids of the dimension's other values (a member
   * holding this tag may hold none of them); empty for a tag of a MANY dimension.
   */
  siblingsOf(key: string): number[] {
    const entry = this.byKey.get(key);
    if (!entry || entry.cardinality !== "ONE") return [];
    return (this.singleValued.get(dimensionOf(key)) ?? []).filter((id) => id !== entry.id);
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

function dimensionOf(key: string): string {
  return key.slice(0, key.indexOf(":"));
}
