import { fromMicros, toMicros } from "./epsilon-amount.js";
import type { Epsilon } from "./privacy-budget.repository.js";

/**
 * What an approved outreach request's results cost its requester. The figures released per
 * target, once when sending ends and then at most daily for redemptions, are paid for when the
 * owner approves (one reservation in the pair's quota and the owner's pool cap), so a release of
 * results never fails for want of budget.
 */
export const OUTREACH_RESULT_FIGURES = ["contacted", "delivered", "failed", "redeemed"] as const;
export type OutreachResultFigure = (typeof OUTREACH_RESULT_FIGURES)[number];

/** Epsilon of each figure in each release. */
export const OUTREACH_RESULT_EPSILON: Epsilon = "0.1";

/** Redemption updates after the final release: at most one a day, at most this many. */
export const OUTREACH_REDEMPTION_RELEASES = 6;

/** The epsilon reserved at approval: every figure of the final release, then each redemption update. */
export function outreachResultsReservation(): Epsilon {
  const perFigure = toMicros(OUTREACH_RESULT_EPSILON);
  const releases = BigInt(OUTREACH_RESULT_FIGURES.length) + BigInt(OUTREACH_REDEMPTION_RELEASES);
  return fromMicros(perFigure * releases);
}
