import { AppError } from "@brandpool/errors";
import type { OutboxRepository, RefusalPosition } from "./outbox.repository.js";
import type { OutboxRefusalConnection } from "./outbox-refusal.type.js";

/** Largest page of `outboxRefusals`. */
export const MAX_REFUSALS_PAGE = 100;

const CURSOR = /^r:(\d{1,19}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Cursors are opaque: base64url of the position (exact refusal time in microseconds, id). */
export function encodeRefusalCursor(position: RefusalPosition): string {
  return Buffer.from(`r:${position.refusedAtMicros}:${position.id}`, "utf8").toString("base64url");
}

export function decodeRefusalCursor(cursor: string): RefusalPosition {
  const match = CURSOR.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match?.[1] || !match[2]) throw new AppError("BAD_INPUT", "The cursor `after` is not valid.", { field: "after" });
  return { refusedAtMicros: match[1], id: match[2] };
}

/** What the brand's admins and auditors see of the events the coordinator refused. */
export class OutboxRefusalService {
  constructor(private readonly outbox: OutboxRepository) {}

  async list(args: { first?: number | null; after?: string | null }): Promise<OutboxRefusalConnection> {
    const first = args.first ?? 20;
    if (Number.isInteger(first) && first > MAX_REFUSALS_PAGE) {
      throw new AppError("LIMIT_EXCEEDED", `first must be between 1 and ${MAX_REFUSALS_PAGE}.`, { field: "first", limit: MAX_REFUSALS_PAGE });
    }
    if (!Number.isInteger(first) || first < 1) throw new AppError("BAD_INPUT", `first must be between 1 and ${MAX_REFUSALS_PAGE}.`, { field: "first" });
    const after = args.after ? decodeRefusalCursor(args.after) : null;
    const rows = await this.outbox.refusals(first + 1, after);
    const edges = rows.slice(0, first).map((row) => ({
      node: { id: row.id, type: row.type, reason: row.reason, message: row.message, refusedAt: row.refusedAt.toISOString() },
      cursor: encodeRefusalCursor(row),
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: after !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }
}
