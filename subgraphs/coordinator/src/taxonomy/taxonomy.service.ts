import type pg from "pg";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "@brandpool/errors";
import { principalActor } from "@brandpool/policy";
import type { Principal } from "@brandpool/policy";
import { isTagKey } from "@brandpool/tag-expression";
import type { Database } from "../db/database.js";
import { taxonomyTags } from "../db/taxonomy-tag.table.js";
import { withTransaction } from "../db/transaction.js";
import type { PlatformAudit } from "../audit/platform-audit.service.js";
import { issuesOf } from "../registry/brand.schema.js";

export type TagRecord = typeof taxonomyTags.$inferSelect;

const TagInputSchema = z
  .object({
    dimension: z.string(),
    value: z.string(),
    labelZh: z.string().trim().min(1).max(60),
    labelEn: z.string().trim().min(1).max(60),
    sensitive: z.boolean().nullish(),
  })
  .refine((tag) => isTagKey(`${tag.dimension}:${tag.value}`), { message: "dimension:value is not a valid tag key", path: ["value"] });

export class TaxonomyService {
  constructor(
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly audit: PlatformAudit,
  ) {}

  list(): Promise<TagRecord[]> {
    return this.db.select().from(taxonomyTags).orderBy(asc(taxonomyTags.key));
  }

  /** Adds a tag or changes its labels; `sensitive` can be turned on, never off. Audited. */
  async upsert(principal: Principal, input: unknown): Promise<TagRecord> {
    const parsed = TagInputSchema.safeParse(input);
    if (!parsed.success) throw new AppError("BAD_INPUT", "The tag is not valid.", { fields: issuesOf(parsed.error) });
    const tag = parsed.data;
    const key = `${tag.dimension}:${tag.value}`;
    return withTransaction(this.pool, async (tx) => {
      const [current] = await tx.db.select().from(taxonomyTags).where(eq(taxonomyTags.key, key)).for("update");
      if (current?.sensitive && tag.sensitive === false) {
        throw new AppError("BAD_INPUT", `Tag ${key} is sensitive and stays sensitive.`, { fields: [{ field: "sensitive", reason: "cannot be turned off" }] });
      }
      const sensitive = current?.sensitive === true || tag.sensitive === true;
      const [row] = await tx.db
        .insert(taxonomyTags)
        .values({ key, dimension: tag.dimension, value: tag.value, labelZh: tag.labelZh, labelEn: tag.labelEn, sensitive })
        .onConflictDoUpdate({
          target: taxonomyTags.key,
          set: { labelZh: tag.labelZh, labelEn: tag.labelEn, sensitive, updatedAt: sql`now()` },
        })
        .returning();
      await this.audit.record(tx, [
        { type: current ? "tag.updated" : "tag.added", actor: principalActor(principal), subject: { kind: "tag", key }, payload: { sensitive } },
      ]);
      return row as TagRecord;
    });
  }
}
