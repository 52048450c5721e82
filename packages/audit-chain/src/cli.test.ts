import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENESIS_HASH, hashAuditEvent } from "./audit-chain.hash.js";

// The CLI as the root script runs it: `node packages/audit-chain/dist/cli.js` (built by `npm test`).
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = "packages/audit-chain/dist/cli.js";

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPO_ROOT }, (error, stdout, stderr) => {
      resolve({ code: typeof error?.code === "number" ? error.code : error ? -1 : 0, stdout, stderr });
    });
  });
}

function exportLines(count: number): { ids: string[]; text: string } {
  const ids: string[] = [];
  const lines: string[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const content = {
      seq,
      id: `6b1f1a60-0000-4000-8000-${String(seq).padStart(12, "0")}`,
      occurredAt: new Date(Date.UTC(2025, 5, 1, 0, 0, seq)),
      type: "outreach.executed",
      actor: { kind: "node", brandId: "teabar" },
      subject: { requestId: `r-${seq}` },
      payload: { contacted: 1000 + seq, recipientsHash: "ab".repeat(32) },
    };
    const hash = hashAuditEvent(content, prevHash);
    lines.push(JSON.stringify({ ...content, occurredAt: content.occurredAt.toISOString(), prevHash, hash }));
    ids.push(content.id);
    prevHash = hash;
  }
  return { ids, text: `${lines.join("\n")}\n` };
}

describe("audit:verify CLI", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "audit-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints ok and exits 0 for an intact export", async () => {
    const file = join(dir, "ok.jsonl");
    await writeFile(file, exportLines(3).text);
    expect(await runCli([file])).toEqual({ code: 0, stdout: "ok: 3 events\n", stderr: "" });
  });

  it("accepts Windows line endings", async () => {
    const file = join(dir, "crlf.jsonl");
    await writeFile(file, exportLines(3).text.replaceAll("\n", "\r\n"));
    expect(await runCli([file])).toMatchObject({ code: 0, stdout: "ok: 3 events\n" });
  });

  it("names the tampered event and exits 1", async () => {
    const { ids, text } = exportLines(4);
    const file = join(dir, "tampered.jsonl");
    await writeFile(file, text.replace('"contacted":1003', '"contacted":3'));
    expect(await runCli([file])).toEqual({ code: 1, stdout: `broken at event ${ids[2]} (after 2 events)\n`, stderr: "" });
  });

  it("names a line that is not an event by its number", async () => {
    const file = join(dir, "garbage.jsonl");
    const [first = "", , third = ""] = exportLines(3).text.split("\n");
    await writeFile(file, `${first}\n{oops\n${third}\n`);
    expect(await runCli([file])).toMatchObject({ code: 1, stdout: "broken at line 2 (after 1 events)\n" });
  });

  it("prints usage and exits 2 without a file argument", async () => {
    const result = await runCli([]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(/^usage: /);
  });

  it("exits 2 for a missing file", async () => {
    const result = await runCli([join(dir, "missing.jsonl")]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(/cannot read .*missing\.jsonl/);
  });

  it("exits 2 for a directory", async () => {
    const result = await runCli([dir]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(/cannot read/);
  });
});
