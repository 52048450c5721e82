#!/usr/bin/env node
// Offline check of an exported audit log: `npm run audit:verify -- <file.jsonl>`.
// Exit codes: 0 whole, 1 broken, 2 usage error or unreadable file.
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { verifyAuditExport } from "./verify-audit-export.js";

const USAGE = "usage: audit-verify <export.jsonl>\n  Verifies an audit log exported as JSON Lines (one event per line).";

async function main(args: readonly string[]): Promise<number> {
  const [path, ...rest] = args;
  if (path === undefined || path === "" || rest.length > 0 || path === "-h" || path === "--help") {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    process.stderr.write(`cannot read ${path}: ${reason(error)}\n${USAGE}\n`);
    return 2;
  }
  try {
    // Line by line: an export can be far larger than memory.
    const lines = createInterface({ input: handle.createReadStream({ encoding: "utf8" }), crlfDelay: Infinity });
    const result = await verifyAuditExport(lines);
    if (result.ok) {
      process.stdout.write(`ok: ${result.checked} events\n`);
      return 0;
    }
    const where = result.firstBrokenEventId === null ? `line ${result.brokenLine}` : `event ${result.firstBrokenEventId}`;
    // "after N": the intact events before the broken one.
    process.stdout.write(`broken at ${where} (after ${result.checked - 1} events)\n`);
    return 1;
  } catch (error) {
    process.stderr.write(`cannot read ${path}: ${reason(error)}\n`);
    return 2;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

process.exitCode = await main(process.argv.slice(2));
