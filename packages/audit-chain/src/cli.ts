#!/usr/bin/env node
// Offline check of an exported audit log: `npm run audit:verify -- <file.ndjson>`, and for a brand
// node's log `-- <node.ndjson> --heads <coordinator.ndjson> --brand <id>`: the node's chain must
// also hold every head of that brand recorded in the coordinator's export (a rehashed or cut tail).
// Exit codes: 0 whole, 1 broken, 2 usage error or unreadable file.
import { open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Interface } from "node:readline";
import { headsFromExport } from "./recorded-heads.js";
import { verifyAuditExport } from "./verify-audit-export.js";
import type { RecordedAuditHead } from "./audit-heads.js";

const USAGE = `usage: audit-verify <export.ndjson> [--heads <coordinator-export.ndjson> --brand <id>]
  Verifies an audit log exported as JSON Lines (one event per line); with --heads, also checks it
  against the chain heads of brand <id> that the coordinator's log recorded.`;

interface Args {
  path: string;
  heads?: { path: string; brand: string };
}

function parseArgs(args: readonly string[]): Args | null {
  const [path, ...rest] = args;
  if (path === undefined || path === "" || path.startsWith("-")) return null;
  if (rest.length === 0) return { path };
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [name, value] = [rest[i], rest[i + 1]];
    if ((name !== "--heads" && name !== "--brand") || value === undefined || value === "" || options.has(name)) return null;
    options.set(name, value);
  }
  const headsPath = options.get("--heads");
  const brand = options.get("--brand");
  if (!headsPath || !brand) return null;
  return { path, heads: { path: headsPath, brand } };
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let heads: RecordedAuditHead[] | undefined;
  if (args.heads) {
    const brand = args.heads.brand;
    const read = await readLines(args.heads.path, (lines) => headsFromExport(lines, brand));
    if (!read.ok) return 2;
    heads = read.value;
  }
  const verified = await readLines(args.path, (lines) => verifyAuditExport(lines, heads ? { heads } : {}));
  if (!verified.ok) return 2;
  const result = verified.value;
  const against = heads ? ` and ${result.headsChecked ?? 0} recorded heads` : "";
  if (result.ok) {
    process.stdout.write(`ok: ${result.checked} events${against}\n`);
    return 0;
  }
  if (result.contradictedHeadSeq != null) {
    process.stdout.write(`broken at event ${result.firstBrokenEventId} (contradicts the head recorded at seq ${result.contradictedHeadSeq})\n`);
    return 1;
  }
  const where = result.firstBrokenEventId === null ? `line ${result.brokenLine}` : `event ${result.firstBrokenEventId}`;
  // "after N": the intact events before the broken one.
  process.stdout.write(`broken at ${where} (after ${result.checked - 1} events)\n`);
  return 1;
}

/** Reads a file line by line (an export can be far larger than memory); false after reporting why not. */
async function readLines<T>(path: string, use: (lines: Interface) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    process.stderr.write(`cannot read ${path}: ${reason(error)}\n${USAGE}\n`);
    return { ok: false };
  }
  try {
    const lines = createInterface({ input: handle.createReadStream({ encoding: "utf8" }), crlfDelay: Infinity });
    return { ok: true, value: await use(lines) };
  } catch (error) {
    process.stderr.write(`cannot read ${path}: ${reason(error)}\n`);
    return { ok: false };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

process.exitCode = await main(process.argv.slice(2));
