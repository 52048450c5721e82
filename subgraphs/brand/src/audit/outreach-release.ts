import type { JsonObject } from "@brandpool/audit-chain";
import { figuresCommitment } from "../privacy/index.js";
import type { Transaction } from "../db/transaction.js";
import type { NodeAudit } from "./node-audit.service.js";

/**
 * The convention of an outreach results release in both logs (ARCHITECTURE.md, "Reconciling an
 * outreach request"), which `reconcileOutreachRequest` checks:
 * - the owner's log: `outreach.results_released`, subject the request, payload
 *   `{ requestId, requester, release, exact, released, commitment }`;
 * - the platform log (through the outbox): `node.outreach.results_released`, payload
 *   `{ requestId, requester, release, released, commitment, nodeEventId }`: never the exact figures.
 * `commitment` = figuresCommitment(node secret, requestId, release, exact).
 */
export const OUTREACH_RELEASE_EVENT = "outreach.results_released";

/** The figures of a release, exact (owner's log) or as released (null: below the threshold). */
export interface OutreachFigures<T = number> {
  contacted: T;
  delivered: T;
  failed: T;
  redeemed: T;
}

export interface OutreachRelease {
  requestId: string;
  requester: string;
  /** `final` when sending ended, `daily:YYYY-MM-DD` for a later redemption update. */
  release: string;
  exact: OutreachFigures;
  released: OutreachFigures<number | null> & { margin95: number };
}

/** Records a release in the owner's log and queues its platform copy, in the caller's transaction. */
export async function recordOutreachRelease(tx: Transaction, audit: Pick<NodeAudit, "record">, secret: string, actor: JsonObject, release: OutreachRelease): Promise<void> {
  const commitment = figuresCommitment(secret, release.requestId, release.release, { ...release.exact });
  const common = { requestId: release.requestId, requester: release.requester, release: release.release, released: { ...release.released }, commitment };
  await audit.record(
    tx,
    { type: OUTREACH_RELEASE_EVENT, actor, subject: { kind: "outreach-request", id: release.requestId }, payload: { ...common, exact: { ...release.exact } } },
    { type: OUTREACH_RELEASE_EVENT, payload: common },
  );
}
