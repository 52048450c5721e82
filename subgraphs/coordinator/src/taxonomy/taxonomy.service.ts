import type pg from "pg";
import { asc, eq, getTableColumns, sql } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "@brandpool/errors";
import { principalActor } from "@brandpool/policy";
import type { Principal } from "@brandpool/policy";
import { isTagKey } from "@brandpool/tag-expression";
import type { Database } from "../db/database.js";
import { taxonomyDimensions } from "../db/taxonomy-dimension.table.js";
import { taxonomyTags } from "../db/taxonomy-tag.table.js";
import { withTransaction } from "../db/transaction.js";
import type { PlatformAudit } from "../audit/platform-audit.service.js";
import { issuesOf } from "../registry/brand.schema.js";

export type TagRecord = typeof taxonomyTags.$inferSelect & { cardinality: "ONE" | "MANY" };

const TagInputSchema = z
  .object({
    dimension: z.string(),
    value: z.string(),
    labelZh: z.string().trim().min(1).max(60),
    labelEn: z.string().trim().min(1).max(60),
    sensitive: z.boolean().nullish(),
    cardinality: z.enum(["ONE", "MANY"]).nullish(),
  })
  .refine((tag) => isTagKey(`${tag.dimension}:${tag.value}`), { message: "dimension:value is not a valid tag key", path: ["value"] });

export class TaxonomyService {
  constructor(
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly audit: PlatformAudit,
  ) {}

  list(): Promise<TagRecord[]> {
    return this.db
      .select({ ...getTableColumns(taxonomyTags), cardinality: taxonomyDimensions.cardinality })
      .from(taxonomyTags)
      .innerJoin(taxonomyDimensions, eq(taxonomyDimensions.dimension, taxonomyTags.dimension))
      .orderBy(asc(taxonomyTags.key));
  }

  /**
   * Adds a tag or changes its labels; `sensitive` can be turned on, never off; a dimension's
   * cardinality is set with its first tag and never changes. Audited.
   */
  async upsert(principal: Principal, input: unknown): Promise<TagRecord> {
    const parsed = TagInputSchema.safeParse(input);
    if (!parsed.success) throw new AppError("BAD_INPUT", "The tag is not valid.", { fields: issuesOf(parsed.error) });
    const tag = parsed.data;
    const key = `${tag.dimension}:${tag.value}`;
    return withTransaction(this.pool, async (tx) => {
      // Serialises the first tags of a new dimension, so two can never disagree on its cardinality.
      await tx.db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`taxonomy ${tag.dimension}`}, 0))`);
      const [dimension] = await tx.db.select().from(taxonomyDimensions).where(eq(taxonomyDimensions.dimension, tag.dimension));
      if (dimension && tag.cardinality && tag.cardinality !== dimension.cardinality) {
        throw new AppError("BAD_INPUT", `Dimension ${tag.dimension} is ${dimension.cardinality} and stays so.`, {
          fields: [{ field: "cardinality", reason: "cannot be changed once the dimension exists" }],
        });
      }
      const [current] = await tx.db.select().from(taxonomyTags).where(eq(taxonomyTags.key, key)).for("update");
      if (current?.sensitive && tag.sensitive === false) {
        throw new AppError("BAD_INPUT", `Tag ${key} is sensitive and stays sensitive.`, { fields: [{ field: "sensitive", reason: "cannot be turned off" }] });
      }
      const cardinality = dimension?.cardinality ?? tag.cardinality ?? "MANY";
      if (!dimension) await tx.db.insert(taxonomyDimensions).values({ dimension: tag.dimension, cardinality });
      const sensitive = current?.sensitive === true || tag.sensitive === true;
      const [row] = await tx.db
        .insert(taxonomyTags)
        .values({ key, dimension: tag.dimension, value: tag.value, labelZh: tag.labelZh, labelEn: tag.labelEn, sensitive })
        .onConflictDoUpdate({
          target: taxonomyTags.key,
          set: { labelZh: tag.labelZh, labelEn: tag.labelEn, sensitive, updatedAt: sql`now()` },
        })
        .returning();
      const actor = principalActor(principal);
      await this.audit.record(tx, [
        ...(dimension ? [] : [{ type: "dimension.added", actor, subject: { kind: "dimension", key: tag.dimension }, payload: { cardinality } }]),
        { type: current ? "tag.updated" : "tag.added", actor, subject: { kind: "tag", key }, payload: { sensitive } },
      ]);
      return { ...(row as typeof taxonomyTags.$inferSelect), cardinality };
    });
  }
}
