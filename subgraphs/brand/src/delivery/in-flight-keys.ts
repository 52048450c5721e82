import { attemptInFlight } from "./delivery.errors.js";

/** The keys an adapter is sending right now: a second attempt of one of them is refused. */
export class InFlightKeys {
  private readonly keys = new Set<string>();

  /** Claims every key or none (`CONFLICT` when one is taken). */
  claim(keys: readonly string[]): void {
    if (keys.some((key) => this.keys.has(key))) throw attemptInFlight();
    for (const key of keys) this.keys.add(key);
  }

  release(keys: readonly string[]): void {
    for (const key of keys) this.keys.delete(key);
  }
}
