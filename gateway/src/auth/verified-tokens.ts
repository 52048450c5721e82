import type * as jose from "jose";

/** Caller tokens whose signatures a gateway process remembers at most; default of VerifiedTokens. */
export const DEFAULT_VERIFIED_TOKENS = 10_000;

interface Entry {
  /** The keys and issuer the signature and claims were checked against. */
  keys: string;
  issuer: string;
  payload: jose.JWTPayload & { sub: string; jti: string };
}

/**
 * Caller tokens whose signature and claims already checked out, by the token's exact text. A
 * caller sends its token with every request for up to an hour, and an Ed25519 verification of
 * the same bytes under the same key always gives the same answer, so a repeat skips only that:
 * the entry is used only while the issuer and the keys the routing table names now are the ones
 * it was checked against (a rotated key or issuer verifies again, and fails if it no longer
 * fits), and everything else (issuer registered for the brand, admitted, role, expiry and
 * lifetime) is checked again on every request. Only tokens that verified are kept; bounded, the
 * oldest forgotten first. Caller tokens may be sent many times; the once-only rule is the nodes'
 * for the gateway's per-fetch tokens, which are never cached.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = DEFAULT_VERIFIED_TOKENS) {}

  get(token: string, keys: string, issuer: string): Entry["payload"] | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.keys !== keys || entry.issuer !== issuer) return undefined;
    return entry.payload;
  }

  set(token: string, keys: string, issuer: string, payload: Entry["payload"]): void {
    this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { keys, issuer, payload });
  }

  /** Forgets a token (its expiry passed). */
  delete(token: string): void {
    this.entries.delete(token);
  }

  get size(): number {
    return this.entries.size;
  }
}
