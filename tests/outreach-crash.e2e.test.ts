import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmsSink, startSmtpSink } from "@brandpool/sinks";
import type { SmsSink, SmtpSink } from "@brandpool/sinks";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import { approve, recipientsOf, requestOutreach, sinkEmails, sinkSms, waitForStatus } from "./support/outreach-sending.js";

// The owner's node is killed (SIGKILL, no clean stop) in the middle of sending and started again,
// as the stack runs it (a child process on its own database). Over the SMS webhook, whose sink
// honours Idempotency-Key, every recipient gets exactly one message; over SMTP, which has no such
// key, nobody gets two, only sends marked AMBIGUOUS (those in flight at the kill) are in doubt,
// and everyone else gets exactly one.

const SMTP_CONNECTIONS = 2;

/** Forwards to the SMS sink after `delayMs`, counting every POST per key (the sink keeps one per key). */
async function slowProxy(target: string, delayMs: number): Promise<{ url: string; posts: Map<string, number>; close(): Promise<void> }> {
  const posts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    // The node killed mid-request resets its connections: not an error of the test.
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const key = String(req.headers["idempotency-key"] ?? "");
      posts.set(key, (posts.get(key) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      try {
        const answer = await fetch(target, { method: "POST", headers: { "content-type": "application/json", "idempotency-key": key }, body: Buffer.concat(chunks) });
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(await answer.text());
      } catch {
        res.writeHead(502).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    posts,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

describe("a node killed in the middle of sending", () => {
  let stack: TestStack;
  let mail: SmtpSink;
  let sms: SmsSink;
  let proxy: Awaited<ReturnType<typeof slowProxy>>;
  let sinkDir: string;
  beforeAll(async () => {
    sinkDir = await mkdtemp(join(tmpdir(), "brandpool-crash-"));
    mail = await startSmtpSink({ dir: join(sinkDir, "mail") });
    sms = await startSmsSink({ dir: join(sinkDir, "sms") });
    proxy = await slowProxy(sms.url, 15);
    stack = await startTestStack({
      brands: [
        { id: "pieshop", name: "PaiPai Pie Shop" },
        { id: "teabar", name: "Leaf Tea Bar" },
      ],
      nodeEnv: (brandId) => ({
        SMTP_URL: mail.url,
        SMTP_FROM: `outreach@${brandId}.example`,
        SMTP_MAX_CONNECTIONS: String(SMTP_CONNECTIONS),
        SMS_WEBHOOK_URL: proxy.url,
        SMS_CONCURRENCY: "4",
        SEND_BATCH_SIZE: "20",
        SEND_WORKERS: "2",
        SEND_POLL_SECONDS: "1",
        QUIET_HOURS: "none",
      }),
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
    await mail?.close();
    await sms?.close();
    if (sinkDir) await rm(sinkDir, { recursive: true, force: true });
  });

  /** Approves, waits until `stored()` reaches `killAt`, kills the node with SIGKILL and starts it again. */
  async function killMidway(requestId: string, stored: () => number, killAt: number): Promise<number> {
    const node = stack.nodes.get("teabar");
    if (!node) throw new Error("no teabar node");
    const exited = new Promise((resolve) => node.child.once("exit", resolve));
    const base = stored();
    await approve(stack, "teabar", requestId, 2_000);
    const deadline = Date.now() + 60_000;
    while (stored() - base < killAt) {
      if (Date.now() > deadline) throw new Error("sending did not start");
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    node.child.kill("SIGKILL");
    await exited;
    const atKill = stored() - base;
    await stack.restartNode("teabar");
    return atKill;
  }

  it("over the SMS webhook, every recipient gets exactly one message, counted by distinct key at the sink", async () => {
    const requestId = await requestOutreach(stack, ["teabar"], { expression: "not age:55+", channel: "SMS", message: "PaiPai: {{coupon}} for a pie" });
    const atKill = await killMidway(requestId, () => sms.stored(), 150);
    expect(await waitForStatus(stack, "teabar", requestId, ["SENT", "FAILED"], 120_000)).toBe("SENT");
    const recipients = await recipientsOf(stack, "teabar", requestId);
    expect(recipients.length).toBeGreaterThan(atKill);
    expect(recipients.every((r) => r.status === "SENT")).toBe(true);
    const keys = new Set(recipients.map((r) => r.message_key));
    const stored = (await sinkSms(sms.dir)).filter((message) => keys.has(message.key));
    expect(stored).toHaveLength(recipients.length);
    for (const message of stored) expect(message.to).toBe(recipients.find((r) => r.message_key === message.key)?.phone);
    // Every recipient reached the webhook at least once; the re-sends after the kill carried the first key.
    for (const r of recipients) expect(proxy.posts.get(r.message_key) ?? 0).toBeGreaterThanOrEqual(1);
    const [attempts] = await stack.sql<{ sent: number; interrupted: number }>(
      "teabar",
      `SELECT count(*) FILTER (WHERE outcome = 'SENT')::int AS sent, count(*) FILTER (WHERE detail = 'INTERRUPTED')::int AS interrupted
       FROM delivery_attempts WHERE request_id = $1`,
      [requestId],
    );
    expect(attempts?.sent).toBe(recipients.length);
    // Only what the kill interrupted (in flight, some of it already posted) was posted again,
    // with the same key, and the sink kept one of each.
    const resent = [...keys].filter((key) => (proxy.posts.get(key) ?? 0) > 1).length;
    expect(resent).toBeLessThanOrEqual(attempts?.interrupted ?? 0);
  });

  it("over SMTP, nobody is skipped or sent twice, and only sends in flight at the kill are AMBIGUOUS", async () => {
    const requestId = await requestOutreach(stack, ["teabar"], {
      expression: "not age:55+",
      channel: "EMAIL",
      subject: "A pie",
      message: "Your code: {{coupon}}",
    });
    const atKill = await killMidway(requestId, () => mail.stored(), 60);
    expect(await waitForStatus(stack, "teabar", requestId, ["SENT", "FAILED"], 120_000)).toBe("SENT");
    const recipients = await recipientsOf(stack, "teabar", requestId);
    expect(recipients.length).toBeGreaterThan(atKill);
    const arrivals = new Map<string, number>();
    for (const email of await sinkEmails(mail.dir)) arrivals.set(email.messageId, (arrivals.get(email.messageId) ?? 0) + 1);
    const arrived = (r: (typeof recipients)[number]) => arrivals.get(`<${r.message_key}@teabar.example>`) ?? 0;
    const ambiguous = recipients.filter((r) => r.status === "AMBIGUOUS");
    // In flight at once: one message per pooled connection (the send workers share the pool).
    expect(ambiguous.length).toBeLessThanOrEqual(SMTP_CONNECTIONS);
    for (const r of recipients) {
      if (r.status === "AMBIGUOUS") {
        expect(arrived(r)).toBeLessThanOrEqual(1);
      } else {
        expect(r.status).toBe("SENT");
        expect(arrived(r)).toBe(1);
      }
    }
    const [attempts] = await stack.sql<{ ambiguous: number }>(
      "teabar",
      "SELECT count(*) FILTER (WHERE outcome = 'AMBIGUOUS' AND detail = 'INTERRUPTED')::int AS ambiguous FROM delivery_attempts WHERE request_id = $1",
      [requestId],
    );
    expect(attempts?.ambiguous).toBe(ambiguous.length);
  });
});
