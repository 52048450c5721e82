import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ensureSinkDir, writeSinkFile } from "./sink-files.js";

/** Options of {@link startSmsSink}. */
export interface SmsSinkOptions {
  /** Folder for the JSON files, created if missing (for `npm start`: `.data/sinks/sms/`). */
  dir: string;
  /** Port on 127.0.0.1; default 0, a free port. */
  port?: number;
  /** Largest request body, in bytes; default 64 KiB (a larger one is answered 413). */
  maxBodyBytes?: number;
}

/** A running SMS sink. */
export interface SmsSink {
  /** `http://127.0.0.1:<port>/sms`, the webhook URL to configure. */
  url: string;
  port: number;
  dir: string;
  /** How many messages were stored (a repeated key is not counted again). */
  stored(): number;
  close(): Promise<void>;
}

interface SinkAnswer {
  status: number;
  body: string;
}

/** The key names the stored file, so only characters safe in a file name are accepted. */
const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;
const PHONE_PATTERN = /^\+[1-9][0-9]{6,14}$/;
const MAX_TEXT_CHARS = 2_000;

/**
 * A webhook on loopback that stands in for an SMS provider: `POST /sms` with a JSON body
 * `{ "to": "+8613800000000", "text": "..." }` and an `Idempotency-Key` header. It stores each
 * accepted message as `<key>.json` in `dir` and answers 200 `{ "id", "status": "accepted" }`; a
 * repeated key (even while the first request is still being stored) gets the first answer again
 * and stores nothing. A request without a valid key or body is answered 400 and not stored, and
 * a refused request does not take its key.
 */
export async function startSmsSink(options: SmsSinkOptions): Promise<SmsSink> {
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  await ensureSinkDir(options.dir);
  const answers = new Map<string, Promise<SinkAnswer>>();
  let storedCount = 0;

  async function accept(key: string, to: string, text: string): Promise<SinkAnswer> {
    const receivedAt = new Date().toISOString();
    await writeSinkFile(options.dir, `${key}.json`, `${JSON.stringify({ key, to, text, receivedAt }, null, 2)}\n`);
    storedCount += 1;
    return { status: 200, body: JSON.stringify({ id: key, status: "accepted" }) };
  }

  async function handle(request: IncomingMessage): Promise<SinkAnswer> {
    if (request.method !== "POST" || request.url !== "/sms") return refusal(404, "NOT_FOUND");
    const key = request.headers["idempotency-key"];
    if (typeof key !== "string" || !KEY_PATTERN.test(key)) return refusal(400, "BAD_IDEMPOTENCY_KEY");
    const known = answers.get(key);
    if (known) return known;
    const raw = await readBody(request, maxBodyBytes);
    if (raw === undefined) return refusal(413, "PAYLOAD_TOO_LARGE");
    const message = parseMessage(raw);
    if (!message) return refusal(400, "BAD_BODY");
    // Checked again: another request with this key may have arrived while this body was read.
    const raced = answers.get(key);
    if (raced) return raced;
    const answer = accept(key, message.to, message.text);
    answers.set(key, answer);
    // A failed write must not answer every later retry with the failure.
    answer.catch(() => answers.delete(key));
    return answer;
  }

  const server = createServer((request, response) => {
    handle(request).then(
      (answer) => reply(response, answer),
      () => reply(response, refusal(500, "SINK_ERROR")),
    );
    // an early answer (bad key, repeated key) leaves the body unread; drain it for keep-alive
    request.resume();
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    port,
    dir: options.dir,
    stored: () => storedCount,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function refusal(status: number, code: string): SinkAnswer {
  return { status, body: JSON.stringify({ error: code }) };
}

function reply(response: ServerResponse, answer: SinkAnswer): void {
  response.writeHead(answer.status, { "content-type": "application/json" });
  response.end(answer.body);
}

/** The body as text, or undefined when it is over the limit (the rest is drained, not kept). */
function readBody(request: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on("end", () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function parseMessage(raw: string): { to: string; text: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { to, text } = value as Record<string, unknown>;
  if (typeof to !== "string" || !PHONE_PATTERN.test(to)) return undefined;
  if (typeof text !== "string" || text.length === 0 || text.length > MAX_TEXT_CHARS) return undefined;
  return { to, text };
}
