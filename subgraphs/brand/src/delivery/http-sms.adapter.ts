import { Agent as HttpAgent, request as httpRequest } from "node:http";
import type { IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
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
  const webhook = new URL(options.webhookUrl);
  // Kept-alive connections, at most one per message in flight: node:http's agent, which does
  // several times the requests a second of the global fetch on loopback (`npm run bench`).
  const agent = new (webhook.protocol === "https:" ? HttpsAgent : HttpAgent)({ keepAlive: true, maxSockets: concurrency });
  let closed = false;

  async function attempt(message: SmsMessage): Promise<DeliveryOutcome> {
    const body = JSON.stringify({ to: message.to, text: message.text });
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      "idempotency-key": message.key,
    };
    if (options.authorization) headers.authorization = options.authorization;
    const answer = await post(webhook, agent, headers, body, timeoutMs);
    if (answer === "TIMEOUT") return { status: "RETRY", reason: "WEBHOOK_TIMEOUT", retryAfterMs: 0 };
    if (answer === "UNREACHABLE") return { status: "RETRY", reason: "WEBHOOK_UNREACHABLE", retryAfterMs: 0 };
    return classifyWebhookStatus(answer.status, answer.retryAfter);
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
      agent.destroy();
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

type PostAnswer = { status: number; retryAfter: string | null } | "TIMEOUT" | "UNREACHABLE";

/**
 * One POST, its answer's body read (and dropped) so the connection goes back to the agent. The
 * timeout covers the whole request, connecting to the end of the answer. A redirect is answered
 * like any other status (a misconfigured webhook: FAILED), never followed with the message.
 */
function post(url: URL, agent: HttpAgent, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: PostAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const request = send(url, { method: "POST", agent, headers }, (response) => {
      const status = response.statusCode ?? 0;
      const retryAfter = headerOf(response.headers, "retry-after");
      response.on("error", () => settle("UNREACHABLE"));
      response.on("end", () => settle({ status, retryAfter }));
      response.resume();
    });
    const timer = setTimeout(() => {
      settle("TIMEOUT");
      request.destroy();
    }, timeoutMs);
    request.on("error", () => settle("UNREACHABLE"));
    request.end(body);
  });
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}
