import type { JsonObject } from "@brandpool/audit-chain";
import type { Transaction } from "../db/transaction.js";
import type { NodeAudit } from "../audit/node-audit.service.js";
import { figuresCommitment, margin95, parseEpsilon, releaseCount } from "../privacy/index.js";
import { fromMicros, toMicros } from "./epsilon-amount.js";
import { OUTREACH_REDEMPTION_RELEASES, OUTREACH_RESULT_EPSILON, OUTREACH_RESULT_FIGURES } from "./outreach-results-budget.js";
import type { OutreachResultFigure } from "./outreach-results-budget.js";
import { OutreachResultsRepository, RESULTS_RELEASABLE, outreachResultsQuestionKey } from "./outreach-results.repository.js";
import type { ExactOutreachFigures } from "./outreach-results.repository.js";

/** The final release, then at most this many redemption updates. */

/**
 * A results release in both logs: the owner's `outreach.results` (exact figures, released ones, a
 * hash of the recipient list and the commitment) and the coordinator's copy of the same type
 * (released figures and the commitment only), which `reconcileOutreachRequest` compares.
 */
export const OUTREACH_RESULTS_EVENT = "outreach.results";

/** The period the commitment and the noise of release `n` are keyed by. */
export function resultsReleasePeriod(releaseNumber: number): string {
  return `release-${releaseNumber}`;
}

export const MAX_OUTREACH_RESULT_RELEASES = 1 + OUTREACH_REDEMPTION_RELEASES;
/** Hours between two releases of one request's results ("at most daily"). */
export const OUTREACH_RESULT_UPDATE_HOURS = 24;

/** One request's results as released to its requester: null figures are "fewer than k". */
export interface OutreachResultsRelease {
  requestId: string;
  requester: string;
  releaseNumber: number;
  released: { [F in OutreachResultFigure]: number | null };
  threshold: number;
  margin95: number;
  commitment: string;
}

export interface ResultsSettings {
  brandId: string;
  secret: string;
  threshold: number;
}

/**
 * Releases a request's results once when sending ended (all four figures, new noise each), then
 * at most daily a redemption update (new noise on `redeemed` only; the other figures cannot move
 * once sending ended, so they are the first release's, with no new noise and no new cost). Every
 * release is paid for by the reservation the approval charged (`outreachResultsReservation`), so
 * nothing is charged here; without a reservation, or past what it covers, nothing is released.
 * The schedule does not depend on the data (an update goes out whether or not anything was
 * redeemed), so whether there is an update tells nothing. Returns null when nothing is due.
 */
export async function releaseOutreachResults(
  tx: Transaction,
  settings: ResultsSettings,
  audit: Pick<NodeAudit, "record">,
  requestId: string,
  now: Date,
): Promise<OutreachResultsRelease | null> {
  // One releaser per request: a second concurrent run waits here and then finds the release done.
  await tx.client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`outreach-results ${requestId}`]);
  const repository = new OutreachResultsRepository(tx.db);
  const request = await repository.request(requestId);
  if (!request || !RESULTS_RELEASABLE.includes(request.status)) return null;
  const reserved = await repository.reservation(request.requester, requestId);
  if (reserved === null) return null;
  const prior = await repository.releases(requestId);
  const last = prior.at(-1);
  const first = prior[0];
  const releaseNumber = prior.length + 1;
  if (releaseNumber > MAX_OUTREACH_RESULT_RELEASES) return null;
  if (last && now.getTime() - last.releasedAt.getTime() < OUTREACH_RESULT_UPDATE_HOURS * 3_600_000) return null;

  const fresh: readonly OutreachResultFigure[] = first ? ["redeemed"] : OUTREACH_RESULT_FIGURES;
  const cost = toMicros(OUTREACH_RESULT_EPSILON) * BigInt(fresh.length);
  const used = prior.reduce((sum, release) => sum + toMicros(release.epsilon), 0n);
  if (used + cost > toMicros(reserved)) return null;

  const counted = await repository.exactFigures(requestId);
  const exact: ExactOutreachFigures = first
    ? { contacted: first.exactContacted, delivered: first.exactDelivered, failed: first.exactFailed, redeemed: counted.redeemed }
    : counted;
  const period = resultsReleasePeriod(releaseNumber);
  const epsilon = parseEpsilon(OUTREACH_RESULT_EPSILON);
  const noisyOf = (figure: OutreachResultFigure): number => {
    if (first && !fresh.includes(figure)) return noisyColumn(first, figure);
    // The same sampler as estimates, keyed by (node secret, request and figure, release number):
    // no requester in the key, and each release draws its own noise once.
    return releaseCount({ secret: settings.secret, questionKey: `${outreachResultsQuestionKey(requestId)}:${figure}`, period, exact: exact[figure], epsilon, threshold: settings.threshold }).noisy;
  };
  const noisy = { contacted: noisyOf("contacted"), delivered: noisyOf("delivered"), failed: noisyOf("failed"), redeemed: noisyOf("redeemed") };
  const threshold = settings.threshold;
  const releasedOf = (value: number) => (value < threshold ? null : value);
  const released = { contacted: releasedOf(noisy.contacted), delivered: releasedOf(noisy.delivered), failed: releasedOf(noisy.failed), redeemed: releasedOf(noisy.redeemed) };
  const margin = margin95(Number(OUTREACH_RESULT_EPSILON));
  const commitment = figuresCommitment(settings.secret, outreachResultsQuestionKey(requestId), period, { ...exact });
  const recipientsHash = await repository.recipientsHash(requestId);

  const inserted = await repository.insert({
    requestId,
    releaseNumber,
    requesterBrand: request.requester,
    releasedAt: now,
    exactContacted: exact.contacted,
    exactDelivered: exact.delivered,
    exactFailed: exact.failed,
    exactRedeemed: exact.redeemed,
    noisyContacted: noisy.contacted,
    noisyDelivered: noisy.delivered,
    noisyFailed: noisy.failed,
    noisyRedeemed: noisy.redeemed,
    threshold,
    margin95: margin,
    epsilon: fromMicros(cost),
    commitment,
    recipientsHash,
  });
  if (!inserted) return null;
  const common = { requestId, requester: request.requester, releaseNumber, commitment };
  await audit.record(
    tx,
    {
      type: OUTREACH_RESULTS_EVENT,
      actor: { kind: "node", brand: settings.brandId },
      subject: { kind: "outreach-request", id: requestId },
      // The owner's log: the exact figures, what was released, and a hash of the recipient list.
      payload: { ...common, exact: { ...exact }, noisy, released: { ...released, margin95: margin }, threshold, epsilon: fromMicros(cost), recipientsHash } as JsonObject,
    },
    // The coordinator's: only the released figures and the commitment to the exact ones.
    { type: OUTREACH_RESULTS_EVENT, payload: { ...common, released: { ...released, margin95: margin }, threshold } as JsonObject },
  );
  return { ...common, released, threshold, margin95: margin };
}

function noisyColumn(release: { noisyContacted: number; noisyDelivered: number; noisyFailed: number; noisyRedeemed: number }, figure: OutreachResultFigure): number {
  switch (figure) {
    case "contacted":
      return release.noisyContacted;
    case "delivered":
      return release.noisyDelivered;
    case "failed":
      return release.noisyFailed;
    case "redeemed":
      return release.noisyRedeemed;
  }
}
