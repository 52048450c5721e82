import { createHash } from "node:crypto";
// The node's own noise and release, as built: the privacy ledger's `storeNew` calls exactly this
// `releaseCount` with the node secret, the question's key and the period.
import { parseEpsilon, releaseCount } from "../../subgraphs/brand/dist/privacy/index.js";

/**
 * The membership attack: in one world a canary carries a tag, in the other it does not, and the
 * attacker's estimates differ only by that (one question counting the tag, and perhaps a second
 * counting its absence, which then counts the canary in the other world). The attacker knows
 * everything but which world it is in (the usual adversary of differential privacy: every other
 * member, the questions, k, epsilon) and sees the released counts.
 */
export interface Observation {
  questionKey: string;
  /** The exact count in the world where the canary carries the tag, and where it does not: they differ by one. */
  exactIfMatches: number;
  exactIfNot: number;
}

export interface MembershipGame {
  observations: readonly Observation[];
  period: string;
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
  released: (number | null)[];
}

/**
 * One trial per node secret: the secret is drawn (as SHA-256 of seed and index), the world is
 * half of the trials each (every even index the canary matches), and the node's release function
 * gives what the partner would see for each question.
 */
export function playMembershipGame(game: MembershipGame): Trial[] {
  // Without the premise (the estimates the node really gave) there is no game to play.
  if (game.observations.length === 0) throw new Error("no observations: the premise did not run");
  for (const observation of game.observations) {
    if (Math.abs(observation.exactIfMatches - observation.exactIfNot) !== 1) throw new Error("the worlds must differ by one member");
  }
  const epsilon = parseEpsilon(game.noiseEpsilon);
  return Array.from({ length: game.trials }, (_, index) => {
    const secret = createHash("sha256").update(`${game.seed}/node-secret/${index}`).digest("base64url");
    const canaryMatches = index % 2 === 0;
    const released = game.observations.map(
      (observation) =>
        releaseCount({
          secret,
          questionKey: observation.questionKey,
          period: game.period,
          exact: canaryMatches ? observation.exactIfMatches : observation.exactIfNot,
          epsilon,
          threshold: game.threshold,
        }).count,
    );
    return { canaryMatches, released };
  });
}

/**
 * The optimal guess (the likelihood-ratio test) for discrete Laplace noise: for one question
 * the ratio P(y | world with more) / P(y | world with one fewer) is e^eps above the smaller count
 * and e^-eps at or below it, so each released count is one vote of weight eps, and with even odds
 * the best guess follows the sum of votes (a tie, ratio 1, guesses "does not match"). Clamping at
 * 0 and suppression below k only merge outcomes (post-processing): a suppressed count reads as 0.
 */
export function optimalGuess(released: readonly (number | null)[], observations: readonly Observation[]): boolean {
  let score = 0;
  observations.forEach((observation, index) => {
    const y = released[index] ?? 0;
    const low = Math.min(observation.exactIfMatches, observation.exactIfNot);
    const saysHigher = y > low;
    score += saysHigher === observation.exactIfMatches > observation.exactIfNot ? 1 : -1;
  });
  return score > 0;
}

/** The share of trials the optimal attacker guesses right. */
export function guessAccuracy(trials: readonly Trial[], observations: readonly Observation[]): number {
  const right = trials.filter((trial) => optimalGuess(trial.released, observations) === trial.canaryMatches).length;
  return right / trials.length;
}

/**
 * What epsilon-differential privacy allows a guess between two neighbouring worlds at even odds:
 * e^eps / (1 + e^eps), eps being what all the estimates seen cost together (about 0.525 for one
 * estimate at epsilon 0.1, 0.550 for a pair).
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
