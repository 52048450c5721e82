import { z } from "zod";

/** Most recipients at one target when the request names none. */
export const DEFAULT_MAX_RECIPIENTS = 10_000;
export const MAX_RECIPIENTS_LIMIT = 1_000_000;
/** A request is decided within this long, or its undecided targets expire. */
export const MAX_LIFETIME_DAYS = 90;
/** At most this many new requests from one requester to one owner in 24 hours (DESIGN.md). */
export const REQUESTS_PER_PAIR_PER_DAY = 20;
/** The pool's size in the seeds: a requester asks at most every other brand. */
export const MAX_TARGETS = 19;

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const instant = z
  .string()
  .regex(ISO_WITH_ZONE, "must be an ISO 8601 date-time with a zone, e.g. 2026-12-24T10:00:00+08:00")
  .transform((text) => new Date(text))
  .refine((date) => !Number.isNaN(date.getTime()), "is not a real date-time");

export const CreateOutreachRequestSchema = z.object({
  targetBrandIds: z
    .array(z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, "is not a brand id"))
    .min(1, "needs at least one target brand")
    .max(MAX_TARGETS, `at most ${MAX_TARGETS} target brands`)
    .refine((ids) => new Set(ids).size === ids.length, "names a brand twice"),
  expression: z.string(),
  channel: z.enum(["SMS", "EMAIL", "MAIL"]),
  subject: z.string().nullish(),
  message: z.string(),
  purpose: z.string().trim().min(1, "is required").max(200, "at most 200 characters"),
  maxRecipientsPerBrand: z.number().int().min(1).max(MAX_RECIPIENTS_LIMIT).nullish(),
  sendAfter: instant.nullish(),
  expiresAt: instant,
});
export type CreateOutreachRequest = z.infer<typeof CreateOutreachRequestSchema>;
