import { randomInt } from "node:crypto";
import type { IncomingRequestRecord } from "../outreach/incoming-request.repository.js";

/** The log-normal distribution of people's response times that automatic declines are released by. */
export interface ReleaseDelaySettings {
  /** Median delay in seconds (default 4 hours). */
  medianSeconds: number;
  /** Sigma of the underlying normal (default 1: half of them between about 2 and 8 hours... e^±0.67). */
  sigma: number;
}

/** Released at the latest this long before the request expires: a person could not decline later. */
const BEFORE_EXPIRY_MS = 60_000;

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
 * (median `medianSeconds`), but before the request expires, as a person's decline would be.
 */
export function drawReleaseAt(settings: ReleaseDelaySettings, request: Pick<IncomingRequestRecord, "expiresAt">, now: Date): Date {
  const delayMs = settings.medianSeconds * 1000 * Math.exp(settings.sigma * standardNormal());
  const latest = request.expiresAt.getTime() - BEFORE_EXPIRY_MS;
  return new Date(Math.max(now.getTime(), Math.min(now.getTime() + delayMs, latest)));
}
