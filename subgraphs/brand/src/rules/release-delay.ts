import { randomInt } from "node:crypto";

/** The log-normal distribution of people's response times that automatic declines are released by. */
export interface ReleaseDelaySettings {
  /** Median delay in seconds (default 4 hours). */
  medianSeconds: number;
  /** Sigma of the underlying normal (default 1: half of them between about 2 and 8 hours... e^±0.67). */
  sigma: number;
}

// A uniform in (0, 1) from the CSPRNG: the delay must not be predictable from earlier ones.
function uniform(): number {
  return (randomInt(1, 2 ** 47) - 0.5) / 2 ** 47;
}

/** One draw of a standard normal (Box-Muller). */
function standardNormal(): number {
  return Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * When an automatic decline made `now` is told to the requester: now + a log-normal delay
 * (median `medianSeconds`). The draw is not cut at the request's expiry: a decline drawn to come
 * after it is never told as a decline; the requester sees the request expire, as it does when
 * nobody answers (`requesterStatus`, `releaseHeldDeclines`). Cutting the draw at the expiry would
 * tell an automatic decline by its timing whenever a request expires soon.
 */
export function drawReleaseAt(settings: ReleaseDelaySettings, now: Date): Date {
  const delayMs = settings.medianSeconds * 1000 * Math.exp(settings.sigma * standardNormal());
  return new Date(now.getTime() + Math.max(0, delayMs));
}
