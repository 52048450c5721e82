import { z } from "zod";

/**
 * One outreach request as the coordinator delivers it to a target node: the request's content,
 * the hash the coordinator stored, and this target's version and status (a cancellation is a
 * later version of the same target).
 */
export const DeliveredOutreachRequestSchema = z.object({
  requestId: z.uuid(),
  version: z.number().int().positive(),
  status: z.enum(["PENDING", "CANCELLED"]),
  requesterBrandId: z.string().min(1).max(64),
  targetBrandIds: z.array(z.string().min(1).max(64)).min(1).max(50),
  expression: z.string().min(1),
  channel: z.enum(["SMS", "EMAIL", "MAIL"]),
  subject: z.string().nullable(),
  message: z.string().min(1),
  purpose: z.string().min(1),
  maxRecipientsPerBrand: z.number().int().positive(),
  sendAfter: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  contentHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
});
export type DeliveredOutreachRequest = z.infer<typeof DeliveredOutreachRequestSchema>;
