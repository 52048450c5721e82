/** What `SeenTokenIds.remember` found. */
export type RememberOutcome = "first-use" | "replayed" | "full";

/**
 * The token ids (`jti`) a service has accepted, each kept until its token can no longer be
 * accepted anyway, so that a token is accepted once. Memory is bounded: expired ids are swept as
 * new ones arrive, and when `maxEntries` unexpired ids are held a new token is refused ("full")
 * rather than an unexpired id forgotten, which would let its token be replayed.
 */
export class SeenTokenIds {
  private readonly expiries = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: { maxEntries: number; now?: () => number }) {
    this.maxEntries = options.maxEntries;
    this.now = options.now ?? Date.now;
  }

  /** Ids currently held (for tests and metrics). */
  get size(): number {
    return this.expiries.size;
  }

  /** Records `jti` until `forgetAtMs`, unless it is already held. */
  remember(jti: string, forgetAtMs: number): RememberOutcome {
    const now = this.now();
    this.sweepOldest(now);
    const held = this.expiries.get(jti);
    if (held !== undefined && held > now) return "replayed";
    if (this.expiries.size >= this.maxEntries) {
      this.sweepAll(now);
      if (this.expiries.size >= this.maxEntries) return "full";
    }
    this.expiries.set(jti, forgetAtMs);
    return "first-use";
  }

  // Ids arrive roughly in the order they expire (each lives about as long as the next): dropping
  // expired ones from the front until the first live one is amortised O(1) per call.
  private sweepOldest(now: number): void {
    for (const [jti, forgetAt] of this.expiries) {
      if (forgetAt > now) return;
      this.expiries.delete(jti);
    }
  }

  // At the bound, an expired id behind a live one is found too.
  private sweepAll(now: number): void {
    for (const [jti, forgetAt] of this.expiries) if (forgetAt <= now) this.expiries.delete(jti);
  }
}
