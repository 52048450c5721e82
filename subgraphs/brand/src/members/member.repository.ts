import { and, asc, count, gt, inArray, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { members } from "../db/member.table.js";
import type { MemberRow } from "./member-row.schema.js";

export type MemberRecord = typeof members.$inferSelect;

export interface ResolvedRow extends Omit<MemberRow, "tags"> {
  tagIds: number[] | null;
}

const INSERT_CHUNK = 500;

export class MemberRepository {
  constructor(private readonly db: Database) {}

  async page(where: SQL | undefined, afterSeq: number, limit: number): Promise<MemberRecord[]> {
    return this.db
      .select()
      .from(members)
      .where(and(where, gt(members.seq, afterSeq)))
      .orderBy(asc(members.seq))
      .limit(limit);
  }

  async count(where: SQL | undefined): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(members).where(where);
    return row?.n ?? 0;
  }

  /** Inserts or updates by external id; returns how many of each. Runs in the caller's transaction. */
  async upsert(rows: readonly ResolvedRow[]): Promise<{ inserted: number; updated: number }> {
    let inserted = 0;
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK);
      const result = await this.db
        .insert(members)
        .values(
          chunk.map((row) => ({
            externalId: row.externalId,
            name: row.name,
            phone: row.phone,
            email: row.email,
            address: row.address,
            birthDate: row.birthDate,
            joinDate: row.joinDate,
            consentSms: row.consent.sms,
            consentEmail: row.consent.email,
            consentMail: row.consent.mail,
            tagIds: row.tagIds ?? [],
          })),
        )
        .onConflictDoUpdate({
          target: members.externalId,
          set: {
            name: sql`excluded.name`,
            phone: sql`excluded.phone`,
            email: sql`excluded.email`,
            address: sql`excluded.address`,
            birthDate: sql`excluded.birth_date`,
            joinDate: sql`excluded.join_date`,
            consentSms: sql`excluded.consent_sms`,
            consentEmail: sql`excluded.consent_email`,
            consentMail: sql`excluded.consent_mail`,
            tagIds: sql`excluded.tag_ids`,
            updatedAt: sql`now()`,
          },
        })
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      inserted += result.filter((row) => row.inserted).length;
    }
    return { inserted, updated: rows.length - inserted };
  }

  /** External ids that already exist and whose row gives no tags: they keep their current tags. */
  async currentTagIds(externalIds: readonly string[]): Promise<Map<string, number[]>> {
    if (externalIds.length === 0) return new Map();
    const rows = await this.db
      .select({ externalId: members.externalId, tagIds: members.tagIds })
      .from(members)
      .where(inArray(members.externalId, [...externalIds]));
    return new Map(rows.map((row) => [row.externalId, row.tagIds]));
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.select({ id: members.id }).from(members).where(inArray(members.id, [...ids]));
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Adds the tag where missing and removes `replaces` (the other values of a single-valued
   * dimension), also from members that hold the tag already alongside another value (loaded
   * before the dimension was known to be single-valued).
   */
  async addTag(where: SQL | undefined, tagId: number, replaces: readonly number[] = []): Promise<number> {
    if (replaces.length === 0) {
      const result = await this.db
        .update(members)
        .set({ tagIds: sql`array_append(${members.tagIds}, ${tagId}::integer)`, updatedAt: sql`now()` })
        .where(and(where, sql`NOT (${members.tagIds} @> ARRAY[${tagId}]::integer[])`));
      return result.rowCount ?? 0;
    }
    const others = sql`${`{${replaces.join(",")}}`}::integer[]`;
    const result = await this.db
      .update(members)
      .set({
        tagIds: sql`array_append(ARRAY(SELECT t FROM unnest(${members.tagIds}) AS t WHERE t <> ALL(${others}) AND t <> ${tagId}), ${tagId}::integer)`,
        updatedAt: sql`now()`,
      })
      .where(and(where, sql`(NOT (${members.tagIds} @> ARRAY[${tagId}]::integer[]) OR ${members.tagIds} && ${others})`));
    return result.rowCount ?? 0;
  }

  async removeTag(where: SQL | undefined, tagId: number): Promise<number> {
    const result = await this.db
      .update(members)
      .set({ tagIds: sql`array_remove(${members.tagIds}, ${tagId}::integer)`, updatedAt: sql`now()` })
      .where(and(where, sql`(${members.tagIds} @> ARRAY[${tagId}]::integer[])`));
    return result.rowCount ?? 0;
  }

  static byIds(ids: readonly string[]): SQL {
    return inArray(members.id, [...ids]);
  }
}
