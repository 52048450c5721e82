import { createHash } from "node:crypto";
// The node's own noise and release, as built: the privacy ledger's `storeNew` calls exactly this
// `releaseCount` with the node secret, the question's key and the period.
import { parseEpsilon, releaseCount } from "../../subgraphs/brand/dist/privacy/index.js";

/**
 * The membership attack on one question: in one world a canary carries the question's tag (the
 * exact count is `exactWithout + 1`), in the other it does not, and the two estimates differ only
 * by that. The attacker knows everything but which world it is in (the usual adversary of
 * differential privacy: every other member, the question, k, epsilon), and sees one released count.
 */
export interface MembershipGame {
  questionKey: string;
  period: string;
  /** The exact count in the world without the canary. */
  exactWithout: number;
  threshold: number;
  /** The epsilon of the noise actually drawn, e.g. "0.1". */
  noiseEpsilon: string;
  /** How many node secrets (independent draws of the noise) to play over. */
  trials: number;
  /** Names the secrets, so a run is reproducible and two games can use disjoint secrets. */
  seed: string;
}

export interface Trial {
  canaryMatches: boolean;
  released: number | null;
}

/**
 * One trial per node secret: the secret is drawn (as SHA-256 of seed and index), the world is
 * half of the trials each (every even index the canary matches), and the node's release function
 * gives what the partner would see.
 */
export function playMembershipGame(game: MembershipGame): Trial[] {
  const epsilon = parseEpsilon(game.noiseEpsilon);
  return Array.from({ length: game.trials }, (_, index) => {
    const secret = createHash("sha256").update(`${game.seed}/node-secret/${index}`).digest("base64url");
    const canaryMatches = index % 2 === 0;
    const released = releaseCount({
      secret,
      questionKey: game.questionKey,
      period: game.period,
      exact: game.exactWithout + (canaryMatches ? 1 : 0),
      epsilon,
      threshold: game.threshold,
    });
    return { canaryMatches, released: released.count };
  });
}

/**
 * The optimal guess (the likelihood-ratio test) for discrete Laplace noise: the ratio
 * P(y | exact+1) / P(y | exact) is e^eps for every y > exact and e^-eps for every y <= exact,
 * so with even odds "matches" is the best guess exactly when y > exact. Clamping at 0 and
 * suppression below k only merge outcomes (post-processing), so a suppressed answer counts as 0.
 */
export function optimalGuess(released: number | null, exactWithout: number): boolean {
  return (released ?? 0) > exactWithout;
}

/** The share of trials the optimal attacker guesses right. */
export function guessAccuracy(trials: readonly Trial[], exactWithout: number): number {
  const right = trials.filter((trial) => optimalGuess(trial.released, exactWithout) === trial.canaryMatches).length;
  return right / trials.length;
}

/**
 * What epsilon-differential privacy allows a guess between two neighbouring worlds at even odds:
 * e^eps / (1 + e^eps) (about 0.525 at epsilon 0.1).
 */
export function pairBound(epsilon: number): number {
  return Math.exp(epsilon) / (1 + Math.exp(epsilon));
}

/**
 * Sampling slack for `trials` independent guesses each right with probability at most `bound`:
 * `sigmas` standard deviations of the binomial share, sqrt(p(1-p)/n). At 4 sigmas a mechanism that
 * meets the bound exceeds bound + slack with probability under 4e-5 (normal approximation; the
 * share is a sum of 1,000 Bernoulli draws, well inside it).
 */
export function samplingSlack(bound: number, trials: number, sigmas = 4): number {
  return sigmas * Math.sqrt((bound * (1 - bound)) / trials);
}
