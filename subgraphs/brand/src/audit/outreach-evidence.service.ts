import type pg from "pg";
import type { JsonObject } from "@brandpool/audit-chain";
import { figuresCommitment } from "../privacy/index.js";
import { AUDIT_TABLE } from "./node-audit.service.js";
import { OUTREACH_RESULTS_EVENT, resultsReleasePeriod } from "../privacy-ledger/release-outreach-results.js";
import { outreachResultsQuestionKey } from "../privacy-ledger/outreach-results.repository.js";

/**
 * What the owner's log says about one request, for `reconcileOutreachRequest` at the coordinator:
 * each event's id, type, status and released figures and commitment, and whether the exact
 * figures still held in this log match their commitment (checked here, with the node secret). The
 * exact figures themselves, decline reasons and anything else of the owner's stay home.
 */
export interface OwnerEvidence {
  brandId: string;
  requestId: string;
  events: {
    id: string;
    type: string;
    status: string | null;
    release: string | null;
    released: JsonObject | null;
    commitment: string | null;
    /** For a release: whether the exact figures in this log match its commitment. */
    commitmentHolds: boolean | null;
  }[];
}

export class OutreachEvidence {
  constructor(
    private readonly brandId: string,
    private readonly secret: string,
    private readonly pool: pg.Pool,
  ) {}

  async of(requestId: string): Promise<OwnerEvidence> {
    const { rows } = await this.pool.query<{ id: string; type: string; payload: Record<string, unknown> }>(
      `SELECT id::text AS id, type, payload FROM ${AUDIT_TABLE} WHERE subject->>'kind' = 'outreach-request' AND subject->>'id' = $1 ORDER BY seq`,
      [requestId],
    );
    const events = rows.map((row) => {
      const payload = row.payload;
      const text = (value: unknown) => (typeof value === "string" ? value : null);
      const isRelease = row.type === OUTREACH_RESULTS_EVENT;
      return {
        id: row.id,
        type: row.type,
        status: text(payload.status),
        release: isRelease ? releaseOf(payload) : null,
        released: isRelease && isObject(payload.released) ? (payload.released as JsonObject) : null,
        commitment: isRelease ? text(payload.commitment) : null,
        commitmentHolds: isRelease ? this.holds(requestId, payload) : null,
      };
    });
    return { brandId: this.brandId, requestId, events };
  }

  private holds(requestId: string, payload: Record<string, unknown>): boolean {
    const release = releaseOf(payload);
    if (release === null || typeof payload.commitment !== "string" || !isObject(payload.exact)) return false;
    try {
      const period = resultsReleasePeriod(Number(release));
      return figuresCommitment(this.secret, outreachResultsQuestionKey(requestId), period, payload.exact as Record<string, number>) === payload.commitment;
    } catch {
      // Figures that could never have been committed (edited to a string, a negative count...).
      return false;
    }
  }
}

/** A release's number as text ("1", "2"...), or null when the event holds none. */
function releaseOf(payload: Record<string, unknown>): string | null {
  return Number.isSafeInteger(payload.releaseNumber) ? String(payload.releaseNumber) : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
