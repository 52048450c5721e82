import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSmsSink } from "./sms-sink.js";
import type { SmsSink } from "./sms-sink.js";

let root: string;
let sink: SmsSink;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "sms-sink-"));
  sink = await startSmsSink({ dir: join(root, "sms"), maxBodyBytes: 1024 });
});

afterEach(async () => {
  await sink.close();
  await rm(root, { recursive: true, force: true });
});

function post(body: unknown, key?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== undefined) headers["idempotency-key"] = key;
  return fetch(sink.url, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

const GOOD = { to: "+8613800138000", text: "hello" };

describe("startSmsSink", () => {
  it("listens on 127.0.0.1 and stores an accepted message as <key>.json (0600)", async () => {
    expect(sink.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sms$/);
    const response = await post(GOOD, "key-1");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "key-1", status: "accepted" });
    expect(await readdir(sink.dir)).toEqual(["key-1.json"]);
    expect(JSON.parse(await readFile(join(sink.dir, "key-1.json"), "utf8"))).toMatchObject({ key: "key-1", ...GOOD });
    expect((await stat(join(sink.dir, "key-1.json"))).mode & 0o777).toBe(0o600);
  });

  it("answers a repeated key, even one sent concurrently or with another body, with the first answer and stores it once", async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => post({ ...GOOD, text: `try ${index}` }, "key-2")));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    const bodies = await Promise.all(answers.map((answer) => answer.json()));
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(await readdir(sink.dir)).toEqual(["key-2.json"]);
    expect(sink.stored()).toBe(1);
  });

  it("refuses a missing or unsafe key, a bad body and an oversized body, storing nothing and not taking the key", async () => {
    expect((await post(GOOD)).status).toBe(400);
    expect((await post(GOOD, "../../etc/passwd")).status).toBe(400);
    expect((await post("{not json", "key-3")).status).toBe(400);
    expect((await post({ to: "13800138000", text: "x" }, "key-3")).status).toBe(400);
    expect((await post({ ...GOOD, text: "x".repeat(2_000) }, "key-3")).status).toBe(413);
    expect((await fetch(sink.url, { method: "GET" })).status).toBe(404);
    expect(await readdir(sink.dir)).toEqual([]);
    // the refusals did not take the key: a valid request with it is stored
    expect((await post(GOOD, "key-3")).status).toBe(200);
    expect(await readdir(sink.dir)).toEqual(["key-3.json"]);
  });
});
