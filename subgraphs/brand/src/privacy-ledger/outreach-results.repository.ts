import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { incomingRequests } from "../db/incoming-request.table.js";
import { outreachResultReleases } from "../db/outreach-result-release.table.js";
import { privacySpend } from "../db/privacy.table.js";
import type { TargetStatus } from "../db/incoming-request.table.js";
import type { Epsilon } from "./privacy-budget.repository.js";

export type OutreachResultReleaseRecord = typeof outreachResultReleases.$inferSelect;

export interface ExactOutreachFigures {
  contacted: number;
  delivered: number;
  failed: number;
  redeemed: number;
}

/** The budget key under which an approval reserves a request's results (charged by the decision). */
export function outreachResultsQuestionKey(requestId: string): string {
  return `outreach-results:${requestId}`;
}

/** Sending has ended: the results may be released. */
export const RESULTS_RELEASABLE: readonly TargetStatus[] = ["SENT", "FAILED"];

/** Rows behind the release of outreach results; read and written inside the ledger's transaction. */
export class OutreachResultsRepository {
  constructor(private readonly db: Database) {}

  async request(requestId: string): Promise<{ status: TargetStatus; requester: string } | undefined> {
    const [row] = await this.db
      .select({ status: incomingRequests.status, requester: incomingRequests.requesterBrand })
      .from(incomingRequests)
      .where(eq(incomingRequests.requestId, requestId));
    return row;
  }

  /** The epsilon reserved for this request's results in the requester's quota, or null when none was. */
  async reservation(requester: string, requestId: string): Promise<Epsilon | null> {
    const [row] = await this.db
      .select({ epsilon: sql<string | null>`sum(${privacySpend.epsilon})::text` })
      .from(privacySpend)
      .where(and(eq(privacySpend.requesterBrand, requester), eq(privacySpend.questionKey, outreachResultsQuestionKey(requestId))));
    return row?.epsilon ?? null;
  }

  releases(requestId: string): Promise<OutreachResultReleaseRecord[]> {
    return this.db
      .select()
      .from(outreachResultReleases)
      .where(eq(outreachResultReleases.requestId, requestId))
      .orderBy(asc(outreachResultReleases.releaseNumber));
  }

  /** The exact figures of one request, counted by one statement over its recipients. */
  async exactFigures(requestId: string): Promise<ExactOutreachFigures> {
    const { rows } = await this.db.execute<{ contacted: number; delivered: number; failed: number; redeemed: number }>(sql`
      SELECT count(*)::int AS contacted,
             count(*) FILTER (WHERE status = 'SENT')::int AS delivered,
             count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
             count(*) FILTER (WHERE redeemed_at IS NOT NULL)::int AS redeemed
        FROM outreach_recipients WHERE request_id = ${requestId}`);
    const row = rows[0];
    return { contacted: row?.contacted ?? 0, delivered: row?.delivered ?? 0, failed: row?.failed ?? 0, redeemed: row?.redeemed ?? 0 };
  }

  /**
   * sha256 over the request's recipients (member position and coupon code, in position order):
   * the owner's log can later show which list its figures were counted over, without holding it.
   */
  async recipientsHash(requestId: string): Promise<string> {
    const { rows } = await this.db.execute<{ hash: string }>(sql`
      SELECT encode(sha256(convert_to(coalesce(string_agg(member_seq::text || ':' || coupon_code, E'\\n' ORDER BY member_seq), ''), 'UTF8')), 'hex') AS hash
        FROM outreach_recipients WHERE request_id = ${requestId}`);
    return rows[0]?.hash ?? "";
  }

  /** Inserts a release; false when that number was released already (a concurrent run won). */
  async insert(release: typeof outreachResultReleases.$inferInsert): Promise<boolean> {
    const inserted = await this.db.insert(outreachResultReleases).values(release).onConflictDoNothing().returning({ n: outreachResultReleases.releaseNumber });
    return inserted.length > 0;
  }

  /**
   * Requests whose sending ended, whose results were reserved, and that are due a release: none
   * yet, or fewer than `maxReleases` with the last one at least `minHours` old.
   */
  async due(maxReleases: number, minHours: number, limit: number): Promise<string[]> {
    const { rows } = await this.db.execute<{ request_id: string }>(sql`
      SELECT r.request_id FROM incoming_requests r
        LEFT JOIN LATERAL (SELECT max(release_number) AS n, max(released_at) AS at
                             FROM outreach_result_releases x WHERE x.request_id = r.request_id) last ON true
       WHERE r.status IN ('SENT', 'FAILED')
         AND EXISTS (SELECT 1 FROM privacy_spend s
                      WHERE s.requester_brand = r.requester_brand AND s.question_key = 'outreach-results:' || r.request_id::text)
         AND (last.n IS NULL OR (last.n < ${maxReleases} AND last.at <= now() - make_interval(hours => ${minHours})))
       ORDER BY r.request_id
       LIMIT ${limit}`);
    return rows.map((row) => row.request_id);
  }
}
