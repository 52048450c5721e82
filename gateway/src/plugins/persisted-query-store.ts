import type { ForwardedCaller } from "@brandpool/tokens";

/**
 * Whose persisted queries a caller may use: its own brand's (a node's kept apart from its staff's),
 * or the platform's. A hash registered by one brand's caller never resolves for another's, so no
 * brand learns from a hit which operations another brand runs.
 */
export function persistedQueryScope(caller: ForwardedCaller): string {
  if (caller.kind === "gateway" || caller.kind === "coordinator") return caller.kind;
  if (caller.kind === "node") return `node:${caller.brand}`;
  return caller.brand === null ? "platform" : `brand:${caller.brand}`;
}

/** Default memory for persisted query texts, in UTF-16 code units of query text (about 16 MB). */
export const DEFAULT_PERSISTED_QUERY_BUDGET = 8_000_000;

/**
 * Automatic persisted queries (APQ), kept per scope and bounded by the total length of the texts
 * held: past the budget the least recently used go first (a client whose hash was forgotten gets
 * PERSISTED_QUERY_NOT_FOUND and sends the query again, as the protocol expects).
 */
export class PersistedQueryStore {
  private readonly texts = new Map<string, string>();
  private held = 0;

  constructor(private readonly budget: number = DEFAULT_PERSISTED_QUERY_BUDGET) {}

  get(scope: string, hash: string): string | undefined {
    const key = `${scope}\u0000${hash}`;
    const text = this.texts.get(key);
    if (text === undefined) return undefined;
    // Most recently used goes to the end of the Map's order.
    this.texts.delete(key);
    this.texts.set(key, text);
    return text;
  }

  set(scope: string, hash: string, text: string): void {
    if (text.length > this.budget) return;
    const key = `${scope}\u0000${hash}`;
    const earlier = this.texts.get(key);
    if (earlier !== undefined) {
      this.texts.delete(key);
      this.held -= earlier.length;
    }
    this.texts.set(key, text);
    this.held += text.length;
    for (const [oldest, oldText] of this.texts) {
      if (this.held <= this.budget) break;
      this.texts.delete(oldest);
      this.held -= oldText.length;
    }
  }
}
