import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSmtpSink } from "./smtp-sink.js";
import type { SmtpSink } from "./smtp-sink.js";

let root: string;
let sink: SmtpSink;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "smtp-sink-"));
  sink = await startSmtpSink({ dir: join(root, "mail"), maxMessageBytes: 2_048 });
});

afterEach(async () => {
  await sink.close();
  await rm(root, { recursive: true, force: true });
});

/** Speaks SMTP by hand, line by line, and returns every reply the server sent. */
async function dialogue(lines: string[]): Promise<string[]> {
  const socket = connect(sink.port, "127.0.0.1");
  const replies: string[] = [];
  let buffer = "";
  const waitForReply = () =>
    new Promise<string>((resolve) => {
      const check = () => {
        const match = /^(\d{3}) .*\r\n/m.exec(buffer);
        if (!match) return;
        const end = (match.index ?? 0) + match[0].length;
        const reply = buffer.slice(0, end);
        buffer = buffer.slice(end);
        socket.off("data", onData);
        resolve(reply);
      };
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        check();
      };
      socket.on("data", onData);
      check();
    });
  replies.push(await waitForReply());
  for (const line of lines) {
    socket.write(`${line}\r\n`);
    replies.push(await waitForReply());
  }
  socket.end();
  return replies.map((reply) => reply.trim().split("\r\n").pop() ?? "");
}

const BODY = "From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\nMessage-ID: <k-1@example.com>\r\n\r\nhello\r\n.";

describe("startSmtpSink", () => {
  it("accepts a message from anyone on loopback and stores it as one .eml file", async () => {
    expect(sink.url).toBe(`smtp://127.0.0.1:${sink.port}`);
    const replies = await dialogue(["EHLO test", "MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>", "DATA", BODY, "QUIT"]);
    expect(replies.map((reply) => reply.slice(0, 3))).toEqual(["220", "250", "250", "250", "354", "250", "221"]);
    const files = await readdir(sink.dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const eml = await readFile(join(sink.dir, files[0] ?? ""), "utf8");
    expect(eml).toContain("Message-ID: <k-1@example.com>");
    expect(eml).toContain("hello");
    expect(sink.stored()).toBe(1);
  });

  it("survives a client that resets its connection in the middle of a message (a sender killed mid-send), and takes the next one", async () => {
    // Bad input: half a message, then a TCP reset instead of the end of DATA.
    const socket = connect(sink.port, "127.0.0.1");
    let seen = "";
    await new Promise<void>((resolve) => {
      socket.on("data", (chunk: Buffer) => {
        seen += chunk.toString("utf8");
        if (seen.includes("220 ") && !seen.includes("250")) socket.write("EHLO test\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
        if (seen.includes("354")) {
          socket.write("Subject: half\r\n\r\nhalf a mess");
          setTimeout(() => {
            socket.resetAndDestroy();
            resolve();
          }, 50);
        }
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const replies = await dialogue(["EHLO test", "MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>", "DATA", BODY, "QUIT"]);
    expect(replies.map((reply) => reply.slice(0, 3))).toEqual(["220", "250", "250", "250", "354", "250", "221"]);
    expect(sink.stored()).toBe(1);
  });

  it("refuses a message over the size limit with 552 and stores nothing", async () => {
    const big = `Subject: big\r\n\r\n${"x".repeat(4_000)}\r\n.`;
    const replies = await dialogue(["EHLO test", "MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>", "DATA", big, "QUIT"]);
    expect(replies[5]?.slice(0, 3)).toBe("552");
    expect(await readdir(sink.dir)).toEqual([]);
    expect(sink.stored()).toBe(0);
  });
});
