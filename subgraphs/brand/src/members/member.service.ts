import type pg from "pg";
import { AppError } from "@brandpool/errors";
import { isTagKey, normalizeTagExpression, parseTagExpression, tagKeysOf } from "@brandpool/tag-expression";
import type { TagExpression } from "@brandpool/tag-expression";
import type { SQL } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/transaction.js";
import type { Transaction } from "../db/transaction.js";
import type { TagDictionary } from "../pool/tag-dictionary.service.js";
import type { PoolView } from "../pool/pool-view.service.js";
import { decodeCursor, encodeCursor, fromMemberGlobalIds, toMemberGlobalId } from "./global-id.js";
import { expressionCondition } from "./expression.sql.js";
import { MemberRepository } from "./member.repository.js";
import type { MemberRecord, ResolvedRow } from "./member.repository.js";
import { MemberRowSchema } from "./member-row.schema.js";
import type { MemberRow } from "./member-row.schema.js";
import type { Member, MemberConnection } from "./member.type.js";

/** Largest page of `members`. */
export const MAX_PAGE_SIZE = 100;
/** Largest `importMembers` batch. */
export const MAX_IMPORT_ROWS = 5_000;

/** Counts the owner's members matching an expression (all of them without one), exactly. */
export interface MemberCounter {
  countMembers(db: Database, expression: TagExpression | null): Promise<number>;
}

export interface RowProblem {
  row: number;
  field: string;
  reason: string;
}

export class MemberService {
  constructor(
    private readonly brandId: string,
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly dictionary: TagDictionary,
    private readonly poolView: PoolView,
    /** The audience index's counts for `totalCount`; SQL count(*) without one. */
    private readonly counter: MemberCounter | null = null,
  ) {}

  /** Parses and resolves an expression against the taxonomy (one refresh before UNKNOWN_TAG). */
  async resolveExpression(text: string): Promise<{ expr: TagExpression; condition: SQL; sensitive: string[] }> {
    const expr = normalizeTagExpression(parseTagExpression(text));
    const keys = tagKeysOf(expr);
    if (!keys.every((key) => this.dictionary.has(key))) await this.poolView.refreshIfOlderThan(5_000);
    const entries = this.dictionary.entries(keys);
    const sensitive = [...entries.values()].filter((entry) => entry.sensitive).map((entry) => entry.key);
    return { expr, condition: expressionCondition(expr, entries), sensitive };
  }

  async list(args: { first?: number | null; after?: string | null; expression?: string | null }): Promise<MemberConnection> {
    const first = args.first ?? 20;
    if (Number.isInteger(first) && first > MAX_PAGE_SIZE) {
      throw new AppError("LIMIT_EXCEEDED", `first must be between 1 and ${MAX_PAGE_SIZE}.`, { field: "first", limit: MAX_PAGE_SIZE });
    }
    if (!Number.isInteger(first) || first < 1) {
      throw new AppError("BAD_INPUT", `first must be between 1 and ${MAX_PAGE_SIZE}.`, { field: "first" });
    }
    const afterSeq = args.after ? decodeCursor(args.after) : 0;
    // Only an absent expression means "all members"; an empty one is refused like anywhere else.
    const resolved = typeof args.expression === "string" ? await this.resolveExpression(args.expression) : undefined;
    const where = resolved?.condition;
    const repository = new MemberRepository(this.db);
    const rows = await repository.page(where, afterSeq, first + 1);
    // Counting every match costs more than the page itself at 100,000 members: only when asked.
    let totalCount: Promise<number> | undefined;
    const countAll = () => (this.counter ? this.counter.countMembers(this.db, resolved?.expr ?? null) : repository.count(where));
    const pageRows = rows.slice(0, first);
    const edges = pageRows.map((row) => ({ node: this.toMember(row), cursor: encodeCursor(row.seq) }));
    return {
      get totalCount() {
        return (totalCount ??= countAll());
      },
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: afterSeq > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }

  /**
   * Validates every row first; a batch with any bad row is refused whole, naming each bad row
   * (1-based) and its reason, and nothing is written. Then one transaction upserts them all.
   */
  async import(rawRows: readonly unknown[]): Promise<{ inserted: number; updated: number }> {
    if (rawRows.length === 0) throw new AppError("BAD_INPUT", "No rows to import.");
    if (rawRows.length > MAX_IMPORT_ROWS) {
      throw new AppError("LIMIT_EXCEEDED", `At most ${MAX_IMPORT_ROWS} rows per import.`, { limit: MAX_IMPORT_ROWS });
    }
    await this.poolView.refreshIfOlderThan(60_000);
    const { valid, problems } = this.checkRows(rawRows, 1, new Map());
    if (problems.length > 0) {
      const shown = problems.slice(0, 100);
      throw new AppError(
        "BAD_INPUT",
        `${new Set(problems.map((p) => p.row)).size} of ${rawRows.length} rows are not valid; nothing was imported.`,
        { rows: shown, truncated: problems.length > shown.length },
      );
    }
    return withTransaction(this.pool, (tx) => this.write(tx, valid.map((entry) => entry.value)));
  }

  /**
   * The checks every imported row passes (MemberRowSchema, a repeated externalId, tags in the
   * taxonomy, one value of a single-valued dimension), numbering rows from `firstRow`. `seen`
   * holds the external ids of earlier rows (and gains these). Reasons never quote a row's
   * personal data, only the (truncated) tag the caller sent.
   */
  checkRows(
    rawRows: readonly unknown[],
    firstRow: number,
    seen: Map<string, number>,
  ): { valid: { row: number; value: MemberRow }[]; problems: RowProblem[] } {
    const problems: RowProblem[] = [];
    const valid: { row: number; value: MemberRow }[] = [];
    rawRows.forEach((raw, index) => {
      const row = firstRow + index;
      const parsed = MemberRowSchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.push({ row, field: issue.path.join(".") || "row", reason: issue.message });
        return;
      }
      const before = problems.length;
      const earlier = seen.get(parsed.data.externalId);
      if (earlier) problems.push({ row, field: "externalId", reason: `repeats row ${earlier}` });
      else seen.set(parsed.data.externalId, row);
      for (const tag of parsed.data.tags ?? []) {
        if (!this.dictionary.has(tag)) {
          problems.push({ row, field: "tags", reason: `${JSON.stringify(tag.slice(0, 80))} is not in the taxonomy` });
        }
      }
      for (const reason of this.cardinalityProblems(parsed.data.tags ?? [])) problems.push({ row, field: "tags", reason });
      if (problems.length === before) valid.push({ row, value: parsed.data });
    });
    return { valid, problems };
  }

  /** Refreshes the taxonomy if older than a minute (before rows are checked against it). */
  refreshTaxonomy(): Promise<void> {
    return this.poolView.refreshIfOlderThan(60_000);
  }

  /** Upserts checked rows by external id in the caller's transaction. */
  async write(tx: Transaction, rows: readonly MemberRow[]): Promise<{ inserted: number; updated: number }> {
    const repository = new MemberRepository(tx.db);
    const untagged = rows.filter((value) => value.tags === null).map((value) => value.externalId);
    const kept = await repository.currentTagIds(untagged);
    const resolved: ResolvedRow[] = rows.map((value) => ({
      ...value,
      tagIds:
        value.tags === null
          ? (kept.get(value.externalId) ?? [])
          : [...new Set(value.tags)].map((key) => {
              const entry = this.dictionary.entries([key]).get(key);
              if (!entry) throw new AppError("BAD_INPUT", `${JSON.stringify(key.slice(0, 80))} is not in the taxonomy; nothing was imported.`);
              return entry.id;
            }),
    }));
    return repository.upsert(resolved);
  }

  async changeTag(
    mode: "add" | "remove",
    args: { tag: string; expression?: string | null; ids?: readonly string[] | null },
  ): Promise<number> {
    const hasExpression = typeof args.expression === "string";
    const hasIds = Array.isArray(args.ids);
    if (hasExpression === hasIds) throw new AppError("BAD_INPUT", "Give either `expression` or `ids`, not both or neither.");
    // A malformed key is refused before it is quoted back in an UNKNOWN_TAG message.
    if (!isTagKey(args.tag)) throw new AppError("BAD_INPUT", "tag must be a taxonomy key dimension:value, e.g. interest:tea.", { field: "tag" });
    await this.poolView.refreshIfOlderThan(60_000);
    const entry = this.dictionary.entries([args.tag]).get(args.tag) as { id: number };
    let where: SQL;
    let memberIds: string[] = [];
    if (hasExpression) {
      where = (await this.resolveExpression(args.expression as string)).condition;
    } else {
      const ids = args.ids as readonly string[];
      if (ids.length === 0) throw new AppError("BAD_INPUT", "ids must hold at least one member id.", { field: "ids" });
      // The same bound as an import batch, and the same code.
      if (ids.length > MAX_IMPORT_ROWS) {
        throw new AppError("LIMIT_EXCEEDED", `At most ${MAX_IMPORT_ROWS} member ids per call.`, { limit: MAX_IMPORT_ROWS });
      }
      memberIds = [...new Set(fromMemberGlobalIds(this.brandId, ids))];
      where = MemberRepository.byIds(memberIds);
    }
    return withTransaction(this.pool, async (tx) => {
      const repository = new MemberRepository(tx.db);
      if (memberIds.length > 0) {
        const existing = await repository.existingIds(memberIds);
        const missing = memberIds.filter((id) => !existing.has(id));
        if (missing.length > 0) {
          throw new AppError("NOT_FOUND", `${missing.length} of the given members do not exist; nothing was changed.`, {
            ids: missing.map((id) => toMemberGlobalId(this.brandId, id)),
          });
        }
      }
      // A member holds at most one value of a single-valued dimension: tagging one replaces the other.
      return mode === "add" ? repository.addTag(where, entry.id, this.dictionary.siblingsOf(args.tag)) : repository.removeTag(where, entry.id);
    });
  }

  /** A row's tags must hold at most one value of each single-valued dimension (age, region...). */
  private cardinalityProblems(tags: readonly string[]): string[] {
    const byDimension = new Map<string, Set<string>>();
    for (const tag of tags) {
      const dimension = tag.slice(0, tag.indexOf(":"));
      if (this.dictionary.has(tag) && this.dictionary.declaredCardinalityOf(dimension) === "ONE") {
        byDimension.set(dimension, (byDimension.get(dimension) ?? new Set()).add(tag));
      }
    }
    return [...byDimension]
      .filter(([, values]) => values.size > 1)
      .map(([dimension, values]) => `holds ${values.size} values of ${dimension}, which allows one: ${[...values].sort().join(", ")}`);
  }

  /** A member row as the API shows it to its own brand (also the owner's view of its outreach deliveries). */
  toMember(row: MemberRecord): Member {
    return {
      id: toMemberGlobalId(this.brandId, row.id),
      externalId: row.externalId,
      name: row.name,
      phone: row.phone,
      email: row.email,
      address: row.address,
      birthDate: row.birthDate,
      joinDate: row.joinDate,
      consent: { sms: row.consentSms, email: row.consentEmail, mail: row.consentMail },
      tags: this.dictionary.keysOf(row.tagIds),
    };
  }
}
