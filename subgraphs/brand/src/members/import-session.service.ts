import type pg from "pg";
import { and, asc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { AppError } from "@brandpool/errors";
import type { JsonObject } from "@brandpool/audit-chain";
import type { NodeAudit } from "../audit/node-audit.service.js";
import { importSessionRows, importSessions } from "../db/import-session.table.js";
import { withTransaction } from "../db/transaction.js";
import type { Transaction } from "../db/transaction.js";
import type { MemberRow } from "./member-row.schema.js";
import { MAX_IMPORT_ROWS } from "./member.service.js";
import type { MemberService } from "./member.service.js";

/** How long a session takes appends and a commit. */
export const IMPORT_SESSION_TTL_MS = 60 * 60 * 1000;
/** Most rows one session numbers (accepted and rejected). */
export const MAX_SESSION_ROWS = 1_000_000;
/** Staged rows read back per step at commit. */
const COMMIT_PAGE = 5_000;

export interface ImportCaller {
  /** principalKey of the caller: a session belongs to the principal that began it. */
  owner: string;
  actor: JsonObject;
}

export interface AppendResult {
  accepted: number;
  rejected: { row: number; reason: string }[];
}

export interface CommitResult {
  inserted: number;
  updated: number;
  rejected: number;
}

type SessionRow = typeof importSessions.$inferSelect;

/**
 * Import sessions (ARCHITECTURE.md "Import sessions"): rows arrive in chunks, each checked as
 * `importMembers` checks a batch; good rows are staged in this node's database, bad rows are
 * named with their row number in the whole file. The commit writes every staged row in one
 * transaction, or none.
 */
export class ImportSessionService {
  constructor(
    private readonly brandId: string,
    private readonly pool: pg.Pool,
    private readonly members: MemberService,
    private readonly audit: Pick<NodeAudit, "record">,
    private readonly ttlMs: number = IMPORT_SESSION_TTL_MS,
  ) {}

  async begin(caller: ImportCaller, kind: "MEMBERS"): Promise<{ id: string }> {
    return withTransaction(this.pool, async (tx) => {
      // Staged personal data does not outlive its session: expired sessions lose their rows,
      // and sessions a day past their end are forgotten.
      await tx.db.delete(importSessionRows).where(
        inArray(importSessionRows.importId, tx.db.select({ id: importSessions.id }).from(importSessions).where(lt(importSessions.expiresAt, sql`now()`))),
      );
      await tx.db.delete(importSessions).where(lt(importSessions.expiresAt, sql`now() - interval '1 day'`));
      const [session] = await tx.db
        .insert(importSessions)
        .values({ kind, owner: caller.owner, expiresAt: new Date(Date.now() + this.ttlMs) })
        .returning({ id: importSessions.id });
      return { id: (session as { id: string }).id };
    });
  }

  async append(caller: ImportCaller, importId: string, rawRows: readonly unknown[]): Promise<AppendResult> {
    if (rawRows.length === 0) throw new AppError("BAD_INPUT", "No rows to append.", { fields: [{ field: "rows", reason: "is empty" }] });
    if (rawRows.length > MAX_IMPORT_ROWS) {
      throw new AppError("LIMIT_EXCEEDED", `At most ${MAX_IMPORT_ROWS} rows per append.`, { limit: MAX_IMPORT_ROWS });
    }
    await this.members.refreshTaxonomy();
    return withTransaction(this.pool, async (tx) => {
      const session = await this.openSession(tx, caller, importId);
      if (session.rowCount + rawRows.length > MAX_SESSION_ROWS) {
        throw new AppError("LIMIT_EXCEEDED", `At most ${MAX_SESSION_ROWS} rows per import session.`, { limit: MAX_SESSION_ROWS });
      }
      const firstRow = session.rowCount + 1;
      // External ids of this chunk already staged by an earlier chunk, with their rows.
      const ids = rawRows.flatMap((raw) => {
        const id = (raw as { externalId?: unknown } | null)?.externalId;
        return typeof id === "string" ? [id.trim()] : [];
      });
      const seen = new Map<string, number>();
      if (ids.length > 0) {
        const earlier = await tx.db
          .select({ externalId: importSessionRows.externalId, row: importSessionRows.row })
          .from(importSessionRows)
          .where(and(eq(importSessionRows.importId, session.id), inArray(importSessionRows.externalId, [...new Set(ids)])));
        for (const entry of earlier) seen.set(entry.externalId, entry.row);
      }
      const { valid, problems } = this.members.checkRows(rawRows, firstRow, seen);
      for (let start = 0; start < valid.length; start += 500) {
        await tx.db.insert(importSessionRows).values(
          valid.slice(start, start + 500).map((entry) => ({ importId: session.id, row: entry.row, externalId: entry.value.externalId, value: entry.value })),
        );
      }
      const reasons = new Map<number, string[]>();
      for (const problem of problems) reasons.set(problem.row, [...(reasons.get(problem.row) ?? []), `${problem.field}: ${problem.reason}`]);
      const rejected = [...reasons].map(([row, list]) => ({ row, reason: list.join("; ") }));
      await tx.db
        .update(importSessions)
        .set({
          rowCount: session.rowCount + rawRows.length,
          accepted: session.accepted + valid.length,
          rejected: session.rejected + rejected.length,
        })
        .where(eq(importSessions.id, session.id));
      return { accepted: valid.length, rejected };
    });
  }

  /**
   * Writes every staged row in one transaction (a known externalId updates that member). A
   * session with rejected rows commits only with `allowRejected`; otherwise BAD_INPUT, nothing
   * is written and the session stays open.
   */
  async commit(caller: ImportCaller, importId: string, allowRejected: boolean): Promise<CommitResult> {
    await this.members.refreshTaxonomy();
    return withTransaction(this.pool, async (tx) => {
      const session = await this.openSession(tx, caller, importId);
      if (session.rejected > 0 && !allowRejected) {
        throw new AppError(
          "BAD_INPUT",
          `${session.rejected} of ${session.rowCount} rows were rejected; nothing was imported. Commit with allowRejected to import the other ${session.accepted}.`,
          { rejected: session.rejected, accepted: session.accepted },
        );
      }
      if (session.accepted === 0) throw new AppError("BAD_INPUT", "The session holds no accepted rows; nothing was imported.", { accepted: 0 });
      let inserted = 0;
      let updated = 0;
      let after = 0;
      for (;;) {
        const page = await tx.db
          .select({ row: importSessionRows.row, value: importSessionRows.value })
          .from(importSessionRows)
          .where(and(eq(importSessionRows.importId, session.id), gt(importSessionRows.row, after)))
          .orderBy(asc(importSessionRows.row))
          .limit(COMMIT_PAGE);
        if (page.length === 0) break;
        const counts = await this.members.write(tx, page.map((entry) => entry.value as MemberRow));
        inserted += counts.inserted;
        updated += counts.updated;
        after = (page.at(-1) as { row: number }).row;
      }
      await tx.db.delete(importSessionRows).where(eq(importSessionRows.importId, session.id));
      await tx.db.update(importSessions).set({ status: "COMMITTED", committedAt: sql`now()` }).where(eq(importSessions.id, session.id));
      await this.audit.record(tx, {
        type: "members.imported",
        actor: caller.actor,
        subject: { kind: "brand", brand: this.brandId },
        payload: { importId: session.id, kind: session.kind, rows: session.rowCount, inserted, updated, rejected: session.rejected },
      });
      return { inserted, updated, rejected: session.rejected };
    });
  }

  /** The caller's own session, locked; NOT_FOUND for anyone else's; CONFLICT once committed or expired. */
  private async openSession(tx: Transaction, caller: ImportCaller, importId: string): Promise<SessionRow> {
    const notFound = () => new AppError("NOT_FOUND", "No such import session.", { fields: [{ field: "importId", reason: "names no import session of yours" }] });
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(importId)) throw notFound();
    const [session] = await tx.db
      .select()
      .from(importSessions)
      .where(and(eq(importSessions.id, importId), eq(importSessions.owner, caller.owner)))
      .for("update");
    if (!session) throw notFound();
    if (session.status === "COMMITTED") {
      throw new AppError("CONFLICT", "This import session was committed already.", { status: "COMMITTED" });
    }
    if (session.expiresAt.getTime() <= Date.now()) {
      throw new AppError("CONFLICT", "This import session expired; begin a new one.", { status: "EXPIRED", expiredAt: session.expiresAt.toISOString() });
    }
    return session;
  }
}
