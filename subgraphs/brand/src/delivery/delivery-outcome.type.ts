/**
 * What one attempt to deliver one message came to. The adapters never throw for a failed
 * delivery, only for bad input (`AppError` `BAD_INPUT`, before anything is sent).
 * - `DELIVERED`: the channel took the message.
 * - `FAILED`: refused for good (a 5xx SMTP reply, a 4xx webhook answer): never retried.
 * - `RETRY`: not taken, for a reason that may pass; `retryAfterMs` is the channel's own hint
 *   (`Retry-After`) or 0, and the retry policy (`retry-policy.ts`) picks the delay.
 * - `AMBIGUOUS`: it may or may not have gone out (an SMTP connection lost after the body was
 *   sent). Never re-sent: DESIGN.md, lifecycle step 4.
 * Reasons carry codes and numbers only, never the server's text (it may quote the address).
 */
export type DeliveryOutcome =
  | { status: "DELIVERED"; providerId?: string }
  | { status: "FAILED"; reason: DeliveryFailureReason; code?: number }
  | { status: "RETRY"; reason: DeliveryRetryReason; retryAfterMs: number; code?: number }
  | { status: "AMBIGUOUS"; reason: DeliveryAmbiguityReason };

export type DeliveryStatus = DeliveryOutcome["status"];

/** `code` holds the SMTP reply code or the HTTP status. */
export type DeliveryFailureReason = "SMTP_REJECTED" | "WEBHOOK_REJECTED" | "EXPORT_FAILED";

export type DeliveryRetryReason =
  | "SMTP_TRANSIENT"
  | "SMTP_UNREACHABLE"
  | "WEBHOOK_TRANSIENT"
  | "WEBHOOK_RATE_LIMITED"
  | "WEBHOOK_TIMEOUT"
  | "WEBHOOK_UNREACHABLE"
  | "EXPORT_UNAVAILABLE";

export type DeliveryAmbiguityReason = "SMTP_CONNECTION_LOST" | "SMTP_TIMEOUT";
