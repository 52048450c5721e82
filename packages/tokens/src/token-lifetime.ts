/**
 * Clock skew allowed between brandpool and the hosts that sign tokens for it (a brand's identity
 * provider, a brand node): an `iat` up to this many seconds ahead of our clock is still taken as
 * "now", and `exp` is honoured this many seconds late. Nothing more: a token issued later than
 * that was not issued yet.
 */
export const CLOCK_SKEW_SECONDS = 30;

/** Caller tokens live at most this long by default (`exp - iat`, seconds); see the gateway's config. */
export const DEFAULT_CALLER_TOKEN_MAX_LIFETIME_SECONDS = 3_600;
/** The ceiling of a caller token's lifetime that no configuration may raise. */
export const CALLER_TOKEN_LIFETIME_CEILING_SECONDS = 86_400;
/** A node's client token (principal `node:<brandId>`) lives at most this long. */
export const NODE_CLIENT_TOKEN_MAX_LIFETIME_SECONDS = 300;

/** Why a token's times were refused, in words a caller may read. */
export type LifetimeProblem = "no-iat" | "no-exp" | "issued-in-the-future" | "lives-too-long" | "expired";

/**
 * Checks the times of a token whose signature already checked out: `iat` and `exp` are whole
 * numbers, `iat` is not beyond the clock skew in the future, `exp - iat` is at most
 * `maxLifetimeSeconds`, and `exp` has not passed. Returns the first problem, or null.
 */
export function lifetimeProblem(
  claims: { iat?: unknown; exp?: unknown },
  options: { maxLifetimeSeconds: number; clockSkewSeconds?: number; nowSeconds?: number },
): LifetimeProblem | null {
  const skew = options.clockSkewSeconds ?? CLOCK_SKEW_SECONDS;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const { iat, exp } = claims;
  if (typeof iat !== "number" || !Number.isFinite(iat)) return "no-iat";
  if (typeof exp !== "number" || !Number.isFinite(exp)) return "no-exp";
  if (iat > now + skew) return "issued-in-the-future";
  if (exp - iat > options.maxLifetimeSeconds) return "lives-too-long";
  if (exp <= now - skew) return "expired";
  return null;
}

/** The plain reason for each problem, for the refusal message. */
export const LIFETIME_PROBLEM_TEXT: Readonly<Record<LifetimeProblem, string>> = Object.freeze({
  "no-iat": "it has no issued-at time (iat)",
  "no-exp": "it has no expiry (exp)",
  "issued-in-the-future": "it was issued in the future",
  "lives-too-long": "it lives longer than allowed",
  expired: "it has expired",
});
