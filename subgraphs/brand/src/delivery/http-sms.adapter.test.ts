import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "@brandpool/errors";
import { startSmsSink } from "@brandpool/sinks";
import type { SmsSink } from "@brandpool/sinks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyWebhookStatus, createHttpSmsAdapter } from "./http-sms.adapter.js";
import type { SmsMessage } from "./outbound-message.schema.js";

function sms(key: string, overrides: Partial<SmsMessage> = {}): SmsMessage {
  return { channel: "SMS", key, to: "+8613800138000", text: "【茶吧】您的券码 ABCD-EFGH，回T退订", ...overrides };
}

interface Seen {
  key: string | undefined;
  body: unknown;
}

/** A webhook that answers each request as `answer` says and records its key and body. */
async function scriptedWebhook(answer: (index: number, request: IncomingMessage, response: ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      seen.push({ key: request.headers["idempotency-key"] as string | undefined, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      answer(seen.length - 1, request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let root: string;
let sink: SmsSink;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "sms-adapter-"));
  sink = await startSmsSink({ dir: join(root, "sms") });
});

afterAll(async () => {
  await sink.close();
  await rm(root, { recursive: true, force: true });
});

describe("createHttpSmsAdapter against the SMS sink", () => {
  it("delivers, and two sends with one key store one message (the sink honours Idempotency-Key)", async () => {
    const adapter = createHttpSmsAdapter({ webhookUrl: sink.url });
    expect(await adapter.send(sms("sms-0001-abcdefgh"))).toEqual({ status: "DELIVERED" });
    expect(await adapter.send(sms("sms-0001-abcdefgh"))).toEqual({ status: "DELIVERED" });
    const files = (await readdir(sink.dir)).filter((name) => name.startsWith("sms-0001"));
    expect(files).toEqual(["sms-0001-abcdefgh.json"]);
    const stored = JSON.parse(await readFile(join(sink.dir, "sms-0001-abcdefgh.json"), "utf8")) as Record<string, unknown>;
    expect(stored).toMatchObject({ key: "sms-0001-abcdefgh", to: "+8613800138000", text: "【茶吧】您的券码 ABCD-EFGH，回T退订" });
    expect(sink.stored()).toBe(1);
  });

  it("refuses an invalid message with BAD_INPUT and posts nothing (a phone that is not E.164, a control character, a short key)", async () => {
    const adapter = createHttpSmsAdapter({ webhookUrl: sink.url });
    const before = sink.stored();
    for (const input of [sms("sms-0002-abcdefgh", { to: "13800138000" }), sms("sms-0003-abcdefgh", { text: "a\u0000b" }), sms("k")]) {
      const error = await adapter.send(input).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("BAD_INPUT");
      expect(JSON.stringify((error as AppError).details)).not.toContain("13800138000");
    }
    expect(sink.stored()).toBe(before);
  });
});

describe("createHttpSmsAdapter against scripted webhooks", () => {
  it("gives RETRY on 503 (with Retry-After as the hint) and then DELIVERED on 200, with the same Idempotency-Key both times", async () => {
    const webhook = await scriptedWebhook((index, _request, response) => {
      if (index === 0) response.writeHead(503, { "retry-after": "7" }).end();
      else response.writeHead(200).end("{}");
    });
    try {
      const adapter = createHttpSmsAdapter({ webhookUrl: webhook.url });
      expect(await adapter.send(sms("sms-0101-abcdefgh"))).toEqual({ status: "RETRY", reason: "WEBHOOK_TRANSIENT", retryAfterMs: 7_000, code: 503 });
      expect(await adapter.send(sms("sms-0101-abcdefgh"))).toEqual({ status: "DELIVERED" });
      expect(webhook.seen.map((request) => request.key)).toEqual(["sms-0101-abcdefgh", "sms-0101-abcdefgh"]);
      expect(webhook.seen[0]?.body).toEqual({ to: "+8613800138000", text: "【茶吧】您的券码 ABCD-EFGH，回T退订" });
    } finally {
      await webhook.close();
    }
  });

  it("gives RETRY when the webhook does not answer within the timeout, and does not wait longer", async () => {
    const webhook = await scriptedWebhook(() => undefined);
    try {
      const adapter = createHttpSmsAdapter({ webhookUrl: webhook.url, timeoutMs: 200 });
      const started = Date.now();
      expect(await adapter.send(sms("sms-0102-abcdefgh"))).toEqual({ status: "RETRY", reason: "WEBHOOK_TIMEOUT", retryAfterMs: 0 });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await webhook.close();
    }
  });

  it("gives FAILED on 400 and on a redirect (not followed), RETRY on 408 and 429", async () => {
    const statuses = [400, 302, 408, 429];
    const webhook = await scriptedWebhook((index, _request, response) => {
      const status = statuses[index] ?? 500;
      response.writeHead(status, status === 302 ? { location: "http://127.0.0.1:1/elsewhere" } : {}).end();
    });
    try {
      const adapter = createHttpSmsAdapter({ webhookUrl: webhook.url });
      expect(await adapter.send(sms("sms-0103-abcdefgh"))).toEqual({ status: "FAILED", reason: "WEBHOOK_REJECTED", code: 400 });
      expect(await adapter.send(sms("sms-0104-abcdefgh"))).toEqual({ status: "FAILED", reason: "WEBHOOK_REJECTED", code: 302 });
      expect(await adapter.send(sms("sms-0105-abcdefgh"))).toEqual({ status: "RETRY", reason: "WEBHOOK_TRANSIENT", retryAfterMs: 0, code: 408 });
      expect(await adapter.send(sms("sms-0106-abcdefgh"))).toEqual({ status: "RETRY", reason: "WEBHOOK_RATE_LIMITED", retryAfterMs: 0, code: 429 });
      expect(webhook.seen).toHaveLength(4);
    } finally {
      await webhook.close();
    }
  });

  it("gives RETRY when nothing listens at the webhook URL", async () => {
    const webhook = await scriptedWebhook(() => undefined);
    const url = webhook.url;
    await webhook.close();
    const adapter = createHttpSmsAdapter({ webhookUrl: url });
    expect(await adapter.send(sms("sms-0107-abcdefgh"))).toEqual({ status: "RETRY", reason: "WEBHOOK_UNREACHABLE", retryAfterMs: 0 });
  });
});

describe("createHttpSmsAdapter's options", () => {
  it("refuses a webhook URL that is not http(s), a header with a line break and a zero timeout, with BAD_INPUT", () => {
    for (const options of [
      { webhookUrl: "file:///etc/passwd" },
      { webhookUrl: sink.url, authorization: "Bearer x\r\nX-Evil: 1" },
      { webhookUrl: sink.url, timeoutMs: 0 },
    ]) {
      expect(() => createHttpSmsAdapter(options)).toThrow(AppError);
      expect(() => createHttpSmsAdapter(options)).toThrow(/options are not valid/);
    }
  });
});

describe("classifyWebhookStatus", () => {
  it("reads Retry-After as seconds or a date, and ignores one it cannot read or that lies in the past", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    expect(classifyWebhookStatus(429, "Tue, 01 Dec 2026 12:00:30 GMT", now)).toMatchObject({ retryAfterMs: 30_000 });
    expect(classifyWebhookStatus(503, "Tue, 01 Dec 2026 11:00:00 GMT", now)).toMatchObject({ retryAfterMs: 0 });
    expect(classifyWebhookStatus(503, "soon", now)).toMatchObject({ retryAfterMs: 0 });
    expect(classifyWebhookStatus(503, "-5", now)).toMatchObject({ retryAfterMs: 0 });
    expect(classifyWebhookStatus(201, null, now)).toEqual({ status: "DELIVERED" });
    expect(classifyWebhookStatus(404, null, now)).toEqual({ status: "FAILED", reason: "WEBHOOK_REJECTED", code: 404 });
  });
});
