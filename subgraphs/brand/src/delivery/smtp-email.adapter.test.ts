import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSmtpSink } from "@brandpool/sinks";
import type { SmtpSink } from "@brandpool/sinks";
import { AppError } from "@brandpool/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChannelAdapter } from "./channel-adapter.js";
import type { EmailMessage } from "./outbound-message.schema.js";
import { startScriptedSmtpServer } from "./scripted-smtp-server.fixture.js";
import type { ScriptedSmtpServerScript } from "./scripted-smtp-server.fixture.js";
import { createSmtpEmailAdapter } from "./smtp-email.adapter.js";
import type { SmtpEmailAdapterOptions } from "./smtp-email.adapter.js";

const BASE: Omit<SmtpEmailAdapterOptions, "url"> = {
  from: "offers@pieshop.example",
  unsubscribeUrl: "https://pieshop-node.example/unsubscribe/",
  unsubscribeMailto: "unsubscribe@pieshop.example",
};

function message(key: string, overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    channel: "EMAIL",
    key,
    to: "member@example.com",
    subject: "A tea for your pie",
    text: "Hello,\nyour code is ABCD-EFGH.\n",
    unsubscribeToken: "tok_0123456789abcdef",
    ...overrides,
  };
}

async function emlFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(".eml")).sort();
  return Promise.all(names.map((name) => readFile(join(dir, name), "utf8")));
}

let root: string;
let sink: SmtpSink;
let adapter: ChannelAdapter<EmailMessage>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "smtp-adapter-"));
  sink = await startSmtpSink({ dir: join(root, "mail") });
  adapter = createSmtpEmailAdapter({ ...BASE, url: sink.url });
});

afterAll(async () => {
  await adapter.close();
  await sink.close();
  await rm(root, { recursive: true, force: true });
});

/** A scripted server, an adapter on it with short timeouts, one send, and both closed again. */
async function sendThrough(script: ScriptedSmtpServerScript, key: string) {
  const server = await startScriptedSmtpServer(script);
  const scripted = createSmtpEmailAdapter({ ...BASE, url: server.url, socketTimeoutMs: 500 });
  try {
    const outcome = await scripted.send(message(key));
    // Give a pool that would requeue (nodemailer's default) the time to do it.
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { outcome, dataCommands: server.dataCommands(), bodies: [...server.bodies] };
  } finally {
    await scripted.close();
    await server.close();
  }
}

describe("createSmtpEmailAdapter against the SMTP sink", () => {
  it("delivers plain text with the key as Message-ID and one-click List-Unsubscribe headers", async () => {
    const outcome = await adapter.send(message("msg-0001-abcdefgh"));
    expect(outcome).toEqual({ status: "DELIVERED", providerId: "<msg-0001-abcdefgh@pieshop.example>" });
    const [eml, ...others] = await emlFiles(sink.dir);
    expect(others).toEqual([]);
    const headers = (eml ?? "").split("\r\n\r\n")[0] ?? "";
    const unfolded = headers.replace(/\r\n[ \t]+/g, " ");
    expect(unfolded).toMatch(/^Message-ID: <msg-0001-abcdefgh@pieshop\.example>$/im);
    expect(unfolded).toMatch(
      /^List-Unsubscribe: <https:\/\/pieshop-node\.example\/unsubscribe\/tok_0123456789abcdef>, <mailto:unsubscribe@pieshop\.example\?subject=unsubscribe%20tok_0123456789abcdef>$/im,
    );
    expect(unfolded).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/im);
    expect(unfolded).toMatch(/^Content-Type: text\/plain; charset=utf-8$/im);
    // plain text only: no HTML part, no multipart wrapper
    expect(eml).not.toMatch(/text\/html|multipart\//i);
    expect(eml).toContain("your code is ABCD-EFGH.");
  });

  it("refuses an invalid message with BAD_INPUT and sends nothing (a header injection, a bad address, a short key)", async () => {
    const before = sink.stored();
    const bad = [
      message("msg-0002-abcdefgh", { subject: "Hi\r\nBcc: everyone@example.com" }),
      message("msg-0003-abcdefgh", { to: "not-an-address" }),
      message("short"),
      { ...message("msg-0004-abcdefgh"), html: "<b>hi</b>" } as EmailMessage,
    ];
    for (const input of bad) {
      const error = await adapter.send(input).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("BAD_INPUT");
      // the error names fields, never the values (an address is personal data)
      expect(JSON.stringify((error as AppError).details)).not.toContain("example.com");
    }
    // a batch with one bad message is refused whole: the good one is not sent either
    const batch = await adapter.sendBatch([message("msg-0005-abcdefgh"), message("x")]).catch((caught: unknown) => caught);
    expect((batch as AppError).code).toBe("BAD_INPUT");
    const duplicate = await adapter.sendBatch([message("msg-0006-abcdefgh"), message("msg-0006-abcdefgh")]).catch((caught: unknown) => caught);
    expect((duplicate as AppError).code).toBe("BAD_INPUT");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sink.stored()).toBe(before);
  });

  it("refuses a second attempt of a key while the first is still running (CONFLICT), so one key is never sent twice at once", async () => {
    const before = sink.stored();
    const first = adapter.send(message("msg-0007-abcdefgh"));
    const second = await adapter.send(message("msg-0007-abcdefgh")).catch((caught: unknown) => caught);
    expect((second as AppError).code).toBe("CONFLICT");
    expect(await first).toMatchObject({ status: "DELIVERED" });
    expect(sink.stored()).toBe(before + 1);
  });
});

describe("createSmtpEmailAdapter's options", () => {
  it("refuses options that are not valid with BAD_INPUT naming the option, not its value (an http URL, a bad From, a zero pool)", () => {
    const bad: SmtpEmailAdapterOptions[] = [
      { ...BASE, url: "http://user:secret@127.0.0.1:25" },
      { ...BASE, url: sink.url, from: "offers" },
      { ...BASE, url: sink.url, unsubscribeUrl: "javascript:alert(1)" },
      { ...BASE, url: sink.url, maxConnections: 0 },
    ];
    for (const options of bad) {
      const error = (() => {
        try {
          createSmtpEmailAdapter(options);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("BAD_INPUT");
      expect(JSON.stringify((error as AppError).details)).not.toContain("secret");
    }
  });
});

describe("createSmtpEmailAdapter against misbehaving servers", () => {
  it("gives RETRY with the code when the server answers 451 at RCPT", async () => {
    const result = await sendThrough({ rcpt: { reply: "451 4.3.0 try later" } }, "msg-0101-abcdefgh");
    expect(result.outcome).toEqual({ status: "RETRY", reason: "SMTP_TRANSIENT", retryAfterMs: 0, code: 451 });
    expect(result.dataCommands).toBe(0);
  });

  it("gives RETRY when the server answers 451 after the body (it said it did not take it)", async () => {
    const result = await sendThrough({ afterData: { reply: "451 4.3.0 queue full" } }, "msg-0102-abcdefgh");
    expect(result.outcome).toEqual({ status: "RETRY", reason: "SMTP_TRANSIENT", retryAfterMs: 0, code: 451 });
  });

  it("gives FAILED with the code when the server answers 550, at RCPT or after the body", async () => {
    const atRcpt = await sendThrough({ rcpt: { reply: "550 5.1.1 no such user" } }, "msg-0103-abcdefgh");
    expect(atRcpt.outcome).toEqual({ status: "FAILED", reason: "SMTP_REJECTED", code: 550 });
    const afterData = await sendThrough({ afterData: { reply: "554 5.7.1 rejected" } }, "msg-0104-abcdefgh");
    expect(afterData.outcome).toEqual({ status: "FAILED", reason: "SMTP_REJECTED", code: 554 });
  });

  it("gives AMBIGUOUS when the connection drops after the body was received, and never sends it again", async () => {
    const result = await sendThrough({ afterData: "drop" }, "msg-0105-abcdefgh");
    expect(result.outcome).toEqual({ status: "AMBIGUOUS", reason: "SMTP_CONNECTION_LOST" });
    // the server did get the whole message once, and no second DATA came (the pool's requeue is off)
    expect(result.bodies).toHaveLength(1);
    expect(result.bodies[0]).toContain("Message-ID: <msg-0105-abcdefgh@pieshop.example>");
    expect(result.dataCommands).toBe(1);
  });

  it("gives AMBIGUOUS when the server closes the connection in order after the body without a reply, and never sends it again", async () => {
    const result = await sendThrough({ afterData: "end" }, "msg-0109-abcdefgh");
    expect(result.outcome).toEqual({ status: "AMBIGUOUS", reason: "SMTP_CONNECTION_LOST" });
    expect(result.dataCommands).toBe(1);
  });

  it("gives AMBIGUOUS when no reply comes after the body (a timeout), and never sends it again", async () => {
    const started = Date.now();
    const result = await sendThrough({ afterData: "silence" }, "msg-0106-abcdefgh");
    expect(result.outcome).toEqual({ status: "AMBIGUOUS", reason: "SMTP_TIMEOUT" });
    expect(result.dataCommands).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("gives RETRY, not AMBIGUOUS, when the connection drops before any of the body was sent", async () => {
    const result = await sendThrough({ rcpt: "drop" }, "msg-0107-abcdefgh");
    expect(result.outcome).toEqual({ status: "RETRY", reason: "SMTP_UNREACHABLE", retryAfterMs: 0 });
    expect(result.dataCommands).toBe(0);
  });

  it("gives RETRY when nothing listens at the configured address", async () => {
    const server = await startScriptedSmtpServer({});
    const url = server.url;
    await server.close();
    const unreachable = createSmtpEmailAdapter({ ...BASE, url, connectTimeoutMs: 1_000 });
    try {
      expect(await unreachable.send(message("msg-0108-abcdefgh"))).toEqual({ status: "RETRY", reason: "SMTP_UNREACHABLE", retryAfterMs: 0 });
    } finally {
      await unreachable.close();
    }
  });
});
