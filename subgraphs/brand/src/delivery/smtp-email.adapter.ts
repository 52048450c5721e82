import { PassThrough } from "node:stream";
import type { Readable } from "node:stream";
import nodemailer from "nodemailer";
import type { DeliveryOutcome } from "./delivery-outcome.type.js";
import { SmtpEmailAdapterOptionsSchema, parseAdapterOptions } from "./adapter-options.schema.js";
import { adapterClosed, parseBatch } from "./delivery.errors.js";
import type { ChannelAdapter } from "./channel-adapter.js";
import { InFlightKeys } from "./in-flight-keys.js";
import { EmailMessageSchema } from "./outbound-message.schema.js";
import type { EmailMessage } from "./outbound-message.schema.js";

/** Options of {@link createSmtpEmailAdapter}. */
export interface SmtpEmailAdapterOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://...:465`. */
  url: string;
  /** The `From` address. */
  from: string;
  /** Right-hand side of `Message-ID: <key@domain>`; default the domain of `from`. */
  messageIdDomain?: string;
  /** The node's one-click unsubscribe endpoint; the message's token is appended as a path segment. */
  unsubscribeUrl: string;
  /** An address for `mailto:` unsubscribes, offered beside the URL when set. */
  unsubscribeMailto?: string;
  /** Pooled connections; default 5. */
  maxConnections?: number;
  /** Connecting, and waiting for the greeting, in ms; default 10 s each. */
  connectTimeoutMs?: number;
  /** Silence on an open connection, in ms (a reply that does not come); default 60 s. */
  socketTimeoutMs?: number;
}

interface SmtpError {
  code?: unknown;
  responseCode?: unknown;
}

/**
 * Email by SMTP over a pooled nodemailer transport, plain text only. Each message's key is its
 * `Message-ID`; `List-Unsubscribe` names the node's URL (and a `mailto:` when configured) with
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
 *
 * The outcome follows what the server said: 2xx DELIVERED, 4xx RETRY, 5xx FAILED. Without a
 * reply it depends on whether a byte of the message had been handed to the connection: before,
 * nothing can have been delivered (RETRY); after (a connection dropped or a timeout once the
 * body was sent), it is AMBIGUOUS, and the adapter does not send it again. nodemailer's pool
 * would, so its requeueing is off (`maxRequeues: 0`). Options that are not valid throw
 * `BAD_INPUT` here.
 */
export function createSmtpEmailAdapter(input: SmtpEmailAdapterOptions): ChannelAdapter<EmailMessage> {
  const options = parseAdapterOptions(SmtpEmailAdapterOptionsSchema, input);
  const fromDomain = options.from.split("@").pop() ?? "";
  const messageIdDomain = options.messageIdDomain ?? fromDomain;
  const connectTimeout = options.connectTimeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: Infinity,
    maxRequeues: 0,
    connectionTimeout: connectTimeout,
    greetingTimeout: connectTimeout,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  // The pool reports its connections' errors through each send's callback; this keeps an
  // unhandled 'error' event from ending the process.
  transport.on("error", () => undefined);

  // The stream the connection reads the message from, per Message-ID: `readableDidRead` says
  // whether any of it reached the connection (the connection pipes it only after DATA's 354).
  const outgoing = new Map<string, Readable>();
  transport.use("stream", (mail, done) => {
    const messageId = mail.message.messageId();
    mail.message.processFunc((input) => {
      const output = new PassThrough();
      input.pipe(output);
      input.on("error", (error) => output.destroy(error));
      outgoing.set(messageId, output);
      return output;
    });
    done();
  });

  const inFlight = new InFlightKeys();
  let closed = false;

  async function attempt(message: EmailMessage): Promise<DeliveryOutcome> {
    const messageId = `<${message.key}@${messageIdDomain}>`;
    const token = encodeURIComponent(message.unsubscribeToken);
    const unsubscribe = [`<${options.unsubscribeUrl.replace(/\/+$/, "")}/${token}>`];
    if (options.unsubscribeMailto) {
      unsubscribe.push(`<mailto:${options.unsubscribeMailto}?subject=unsubscribe%20${token}>`);
    }
    try {
      const info = await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId,
        headers: {
          "List-Unsubscribe": unsubscribe.join(", "),
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
      });
      return { status: "DELIVERED", providerId: info.messageId };
    } catch (error) {
      return classifySmtpError(error as SmtpError, outgoing.get(messageId)?.readableDidRead ?? false);
    } finally {
      outgoing.delete(messageId);
    }
  }

  async function sendBatch(messages: readonly EmailMessage[]): Promise<DeliveryOutcome[]> {
    if (closed) throw adapterClosed();
    const parsed = parseBatch(EmailMessageSchema, messages);
    const keys = parsed.map((message) => message.key);
    inFlight.claim(keys);
    try {
      return await Promise.all(parsed.map(attempt));
    } finally {
      inFlight.release(keys);
    }
  }

  return {
    channel: "EMAIL",
    send: async (message) => (await sendBatch([message]))[0] as DeliveryOutcome,
    sendBatch,
    close: async () => {
      closed = true;
      transport.close();
    },
  };
}

/** From a failed send to its outcome; `bodyStarted`: some of the message reached the connection. */
export function classifySmtpError(error: SmtpError, bodyStarted: boolean): DeliveryOutcome {
  const reply = typeof error.responseCode === "number" ? error.responseCode : undefined;
  if (reply !== undefined && reply >= 500 && reply < 600) return { status: "FAILED", reason: "SMTP_REJECTED", code: reply };
  if (reply !== undefined && reply >= 400 && reply < 500) {
    return { status: "RETRY", reason: "SMTP_TRANSIENT", retryAfterMs: 0, code: reply };
  }
  if (bodyStarted) {
    return { status: "AMBIGUOUS", reason: error.code === "ETIMEDOUT" ? "SMTP_TIMEOUT" : "SMTP_CONNECTION_LOST" };
  }
  return { status: "RETRY", reason: "SMTP_UNREACHABLE", retryAfterMs: 0 };
}
