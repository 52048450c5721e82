import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// DESIGN.md, "Scale": every background task of a node is a pg-boss job in its own database
// (jobs/), not a timer of the process.
const SOURCE_ROOT = fileURLToPath(new URL("..", import.meta.url));
const REPEATING_TIMER = /\bsetInterval\s*\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the brand node's background work", () => {
  it("uses no setInterval anywhere in the node's code", () => {
    const files = sourceFiles(SOURCE_ROOT);
    expect(files.map((file) => relative(SOURCE_ROOT, file))).toEqual(expect.arrayContaining(["app.ts", "jobs/job-runtime.ts", "outbox/outbox-pusher.service.ts", "pool/pool-view.service.ts"]));
    const offenders = files.filter((file) => REPEATING_TIMER.test(readFileSync(file, "utf8"))).map((file) => relative(SOURCE_ROOT, file));
    expect(offenders).toEqual([]);
  });

  it("would find one (the check can fail)", () => {
    expect(REPEATING_TIMER.test("this.timer = setInterval(() => this.nudge(), intervalMs);")).toBe(true);
    expect(REPEATING_TIMER.test("setTimeout(resolve, timeoutMs)")).toBe(false);
  });
});
