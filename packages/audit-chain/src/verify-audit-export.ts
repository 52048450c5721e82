import { AuditChainVerifier } from "./audit-chain.verifier.js";
import { hasOnlyExactNumbers } from "./audit-json.numbers.js";
import type { AuditChainLink } from "./audit-chain.hash.js";
import { compareWithHeads } from "./audit-heads.js";
import type { RecordedAuditHead } from "./audit-heads.js";
import type { AuditChainVerification } from "./audit-chain.types.js";

export type AuditExportVerification = AuditChainVerification & {
  /** 1-based line of the first broken event, or null when the export is whole (or a head names it). */
  brokenLine: number | null;
  /** With `heads`: heads compared, and the seq of the first one the export contradicts. */
  headsChecked?: number | null;
  contradictedHeadSeq?: number | null;
};

const FIELDS = ["seq", "id", "occurredAt", "type", "actor", "subject", "payload", "prevHash", "hash"] as const;

/**
 * Verifies an export of exportAuditLog, given as its lines (blank lines are skipped). A line that
 * is not an event of that exact shape breaks the chain there, named by its id if it has one.
 */
export async function verifyAuditExport(
  lines: AsyncIterable<string> | Iterable<string>,
  options: { heads?: readonly RecordedAuditHead[] } = {},
): Promise<AuditExportVerification> {
  const verifier = new AuditChainVerifier();
  // Only the events at a head's seq are kept: an export can be far larger than memory.
  const headSeqs = new Set((options.heads ?? []).map((head) => head.seq));
  const atHeads = new Map<number, { id: string; hash: string }>();
  let lineNumber = 0;
  for await (const rawLine of lines) {
    lineNumber += 1;
    // A byte-order mark from an editor is not part of the event.
    const line = lineNumber === 1 ? rawLine.replace(/^\uFEFF/, "") : rawLine;
    if (line.trim() === "") continue;
    const parsed = linkFromLine(line);
    const intact = "link" in parsed ? verifier.accept(parsed.link, parsed.faithful) : (verifier.rejectUnreadable(parsed.id), false);
    if (!intact) return { ...verifier.result(), brokenLine: lineNumber };
    if ("link" in parsed && headSeqs.has(parsed.link.seq)) atHeads.set(parsed.link.seq, { id: parsed.link.id, hash: parsed.link.hash });
  }
  const chain = { ...verifier.result(), brokenLine: null };
  if (!options.heads) return chain;
  const heads = compareWithHeads(options.heads, (seq) => atHeads.get(seq));
  return {
    ...chain,
    ok: heads.firstBrokenEventId === null,
    firstBrokenEventId: heads.firstBrokenEventId,
    headsChecked: heads.headsChecked,
    contradictedHeadSeq: heads.contradictedHeadSeq,
  };
}

function linkFromLine(
  line: string,
): { link: AuditChainLink & { hash: string }; faithful: boolean } | { id: string | null } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { id: null };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { id: null };
  const fields = value as Record<string, unknown>;
  const { seq, id, occurredAt, type, actor, subject, payload, prevHash, hash } = fields;
  const namedId = typeof id === "string" ? id : null;
  const exactShape =
    Object.keys(fields).length === FIELDS.length &&
    FIELDS.every((field) => Object.hasOwn(fields, field)) &&
    typeof seq === "number" &&
    typeof id === "string" &&
    typeof occurredAt === "string" &&
    typeof type === "string" &&
    typeof prevHash === "string" &&
    typeof hash === "string";
  if (!exactShape) return { id: namedId };
  return {
    link: { seq, id, occurredAt, type, actor, subject, payload, prevHash, hash },
    // The line is what the database printed; a number finer than a double would be rounded by
    // JSON.parse into a match (see hasOnlyExactNumbers).
    faithful: hasOnlyExactNumbers(line),
  };
}
