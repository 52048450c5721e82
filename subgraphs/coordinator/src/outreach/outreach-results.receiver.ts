import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../db/database.js";
import { outreachRequests, outreachTargets } from "../db/outreach-request.table.js";
import { outreachTargetResults } from "../db/outreach-target-result.table.js";
import type { NodeEventRefusal } from "../events/node-event-refusal.js";

/** The event type a target's node pushes when it releases a request's results. */
export const OUTREACH_RESULTS_EVENT = "outreach.results";

const Figure = z.number().int().min(0).max(100_000_000).nullable();

/**
 * What the coordinator accepts of a release: released (noisy) figures, null for "fewer than k",
 * and the owner's commitment to the exact ones. Strict: an exact figure or anything else a node
 * might add by mistake is refused, not stored.
 */
export const OutreachResultsPayloadSchema = z
  .object({
    requestId: z.string().uuid(),
    requester: z.string(),
    releaseNumber: z.number().int().min(1).max(100),
    commitment: z.string().regex(/^[0-9a-f]{64}$/),
    threshold: z.number().int().min(1),
    released: z.object({ contacted: Figure, delivered: Figure, failed: Figure, redeemed: Figure, margin95: z.number().int().min(0) }).strict(),
    nodeEventId: z.string().optional(),
  })
  .strict();
export type OutreachResultsPayload = z.infer<typeof OutreachResultsPayloadSchema>;

/**
 * Why a pushed `outreach.results` event is refused, or null: it must be well formed and about a
 * request of which the pushing node's brand is a target, so a node cannot set another target's
 * results (the subject is the pushing node, never the payload).
 */
export async function outreachResultsRefusal(db: Database, brandId: string, payload: Record<string, unknown>): Promise<NodeEventRefusal | null> {
  const parsed = OutreachResultsPayloadSchema.safeParse(payload);
  if (!parsed.success) return { reason: "BAD_PAYLOAD", message: "An outreach.results event holds released figures, a release number and a commitment only." };
  const [target] = await db
    .select({ requester: outreachRequests.requesterBrand })
    .from(outreachTargets)
    .innerJoin(outreachRequests, eq(outreachRequests.id, outreachTargets.requestId))
    .where(and(eq(outreachTargets.requestId, parsed.data.requestId), eq(outreachTargets.brandId, brandId)));
  if (!target) return { reason: "OTHER_BRAND", message: "A node releases results only for requests its own brand is a target of." };
  if (target.requester !== parsed.data.requester) return { reason: "BAD_PAYLOAD", message: "The event names another requester than the request's." };
  return null;
}

/** Stores a release as the target's latest results, unless a later one is stored already. */
export async function applyOutreachResults(db: Database, brandId: string, payload: Record<string, unknown>): Promise<void> {
  const { requestId, releaseNumber, released, threshold, commitment } = OutreachResultsPayloadSchema.parse(payload);
  const row = {
    requestId,
    brandId,
    releaseNumber,
    contacted: released.contacted,
    delivered: released.delivered,
    failed: released.failed,
    redeemed: released.redeemed,
    threshold,
    margin95: released.margin95,
    commitment,
    releasedAt: new Date(),
  };
  await db
    .insert(outreachTargetResults)
    .values(row)
    .onConflictDoUpdate({
      target: [outreachTargetResults.requestId, outreachTargetResults.brandId],
      set: { ...row, releasedAt: sql`now()` },
      // Pushes may arrive out of order after an outage: never go back to an earlier release.
      setWhere: sql`${outreachTargetResults.releaseNumber} < excluded.release_number`,
    });
}
