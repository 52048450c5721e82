import type { DeliveryOutcome } from "./delivery-outcome.type.js";
import { HttpSmsAdapterOptionsSchema, parseAdapterOptions } from "./adapter-options.schema.js";
import { adapterClosed, parseBatch } from "./delivery.errors.js";
import type { ChannelAdapter } from "./channel-adapter.js";
import { InFlightKeys } from "./in-flight-keys.js";
import { mapConcurrent } from "./map-concurrent.js";
import { SmsMessageSchema } from "./outbound-message.schema.js";
import type { SmsMessage } from "./outbound-message.schema.js";

/** Options of {@link createHttpSmsAdapter}. */
export interface HttpSmsAdapterOptions {
  /** The provider's (or the sink's) webhook: `POST` with `{ "to", "text" }` as JSON. */
  webhookUrl: string;
  /** Sent as `Authorization` when set (for example `Bearer <token>`). */
  authorization?: string;
  /** The whole request, connecting to the end of the answer, in ms; default 10 s. */
  timeoutMs?: number;
  /** Requests of one batch in flight at once; default 32. */
  concurrency?: number;
}

/** A `Retry-After` longer than this is not believed (the retry policy caps delays anyway). */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;

/**
 * SMS through an HTTP webhook. Every attempt of a message carries its key as `Idempotency-Key`,
 * so an attempt whose outcome is unknown (a timeout, a dropped connection) is simply RETRY: a
 * webhook that honours the key delivers once however often it is asked (DESIGN.md, lifecycle
 * step 4). 2xx is DELIVERED; 408, 429 and 5xx are RETRY (with `Retry-After` as the hint);
 * any other answer is FAILED. Options that are not valid throw `BAD_INPUT` here.
 */
export function createHttpSmsAdapter(input: HttpSmsAdapterOptions): ChannelAdapter<SmsMessage> {
  const options = parseAdapterOptions(HttpSmsAdapterOptionsSchema, input);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = options.concurrency ?? 32;
  const inFlight = new InFlightKeys();
  let closed = false;

  async function attempt(message: SmsMessage): Promise<DeliveryOutcome> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "idempotency-key": message.key,
    };
    if (options.authorization) headers.authorization = options.authorization;
    let response: Response;
    try {
      response = await fetch(options.webhookUrl, {
        method: "POST",
        headers,
        body: JSON.stringify({ to: message.to, text: message.text }),
        signal: AbortSignal.timeout(timeoutMs),
        // a redirect is a misconfigured webhook: answered FAILED, not followed with the message
        redirect: "manual",
      });
      // The answer's body is read (and dropped) so the connection goes back to the pool; the
      // timeout covers it too.
      await response.arrayBuffer();
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      return { status: "RETRY", reason: timedOut ? "WEBHOOK_TIMEOUT" : "WEBHOOK_UNREACHABLE", retryAfterMs: 0 };
    }
    return classifyWebhookStatus(response.status, response.headers.get("retry-after"));
  }

  async function sendBatch(messages: readonly SmsMessage[]): Promise<DeliveryOutcome[]> {
    if (closed) throw adapterClosed();
    const parsed = parseBatch(SmsMessageSchema, messages);
    const keys = parsed.map((message) => message.key);
    inFlight.claim(keys);
    try {
      return await mapConcurrent(parsed, concurrency, attempt);
    } finally {
      inFlight.release(keys);
    }
  }

  return {
    channel: "SMS",
    send: async (message) => (await sendBatch([message]))[0] as DeliveryOutcome,
    sendBatch,
    close: async () => {
      closed = true;
    },
  };
}

/** From the webhook's HTTP status (and `Retry-After`) to the outcome. */
export function classifyWebhookStatus(status: number, retryAfter: string | null, now: number = Date.now()): DeliveryOutcome {
  if (status >= 200 && status < 300) return { status: "DELIVERED" };
  if (status === 429) return { status: "RETRY", reason: "WEBHOOK_RATE_LIMITED", retryAfterMs: retryAfterMsOf(retryAfter, now), code: status };
  if (status === 408 || (status >= 500 && status < 600)) {
    return { status: "RETRY", reason: "WEBHOOK_TRANSIENT", retryAfterMs: retryAfterMsOf(retryAfter, now), code: status };
  }
  return { status: "FAILED", reason: "WEBHOOK_REJECTED", code: status };
}

/** `Retry-After` in seconds or as an HTTP date; 0 when absent or unreadable. */
function retryAfterMsOf(value: string | null, now: number): number {
  if (value === null) return 0;
  const trimmed = value.trim();
  const ms = /^[0-9]+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : 0;
}
