import { contentHash } from "@brandpool/outreach-message";
import type { DeliveredOutreachRequest } from "./delivered-outreach-request.schema.js";

/**
 * A delivery to teabar as the coordinator would send it, with the hash of its content;
 * `overrides` change it after hashing (a tampered copy), `content` before (another request).
 */
export function deliveredRequest(
  overrides: Partial<DeliveredOutreachRequest> = {},
  changes: Partial<Omit<DeliveredOutreachRequest, "requestId" | "version" | "status" | "contentHash">> = {},
): DeliveredOutreachRequest {
  const content = {
    requesterBrandId: "pieshop",
    targetBrandIds: ["teabar", "stylehub"],
    expression: "interest:tea AND city:shanghai",
    channel: "SMS" as DeliveredOutreachRequest["channel"],
    subject: null as string | null,
    message: "Pieshop: 15% off this week with code {{coupon}}",
    purpose: "autumn promotion",
    maxRecipientsPerBrand: 5_000,
    sendAfter: "2026-12-02T09:00:00.000Z",
    expiresAt: "2026-12-09T09:00:00.000Z",
    ...changes,
  };
  const hash = contentHash({
    channel: content.channel,
    subject: content.subject,
    message: content.message,
    expression: content.expression,
    purpose: content.purpose,
    cap: content.maxRecipientsPerBrand,
    sendWindow: { start: content.sendAfter, end: content.expiresAt },
    expiresAt: content.expiresAt,
    targets: content.targetBrandIds,
  });
  return { requestId: "0b8f3c9e-5a57-4d0c-9d52-3c7e1f2a6b41", version: 1, status: "PENDING", ...content, contentHash: hash, ...overrides };
}
