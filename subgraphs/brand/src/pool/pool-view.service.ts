import { AppError } from "@brandpool/errors";
import type { GatewayClient } from "./gateway-client.js";
import type { TagDictionary } from "./tag-dictionary.service.js";

const POOL_QUERY = /* GraphQL */ `
  query NodePoolView {
    tags { key sensitive cardinality }
    brands { id admitted }
  }
`;

interface PoolViewData {
  tags: { key: string; sensitive: boolean; cardinality: "ONE" | "MANY" }[];
  brands: { id: string; admitted: boolean }[];
}

/**
 * What this node knows of the pool: the taxonomy and which brands are admitted, pulled from the
 * coordinator through the gateway. Refreshed by the node's `sync-pool` job (jobs/) and on demand
 * (an unknown tag, the first call before any sync); answers from memory in between.
 */
export class PoolView {
  private admitted = new Map<string, boolean>();
  private syncedAt = 0;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly client: GatewayClient,
    private readonly dictionary: TagDictionary,
  ) {}

  get ready(): boolean {
    return this.syncedAt > 0;
  }

  isAdmitted(brandId: string): boolean {
    return this.admitted.get(brandId) ?? false;
  }

  /** Every registered brand, admitted or not, as of the last sync. */
  brandIds(): string[] {
    return [...this.admitted.keys()];
  }

  sync(): Promise<void> {
    this.inFlight ??= this.pull().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Syncs unless it did within `maxAgeMs`; used before answering with an unknown tag. */
  async refreshIfOlderThan(maxAgeMs: number): Promise<void> {
    if (Date.now() - this.syncedAt > maxAgeMs) await this.sync().catch(() => undefined);
  }

  /** Waits for the first sync (the node answers UNAVAILABLE for pool operations until then). */
  async requireReady(): Promise<void> {
    if (this.ready) return;
    await this.sync().catch(() => undefined);
    if (!this.ready) throw new AppError("UNAVAILABLE", "This node has not yet reached the pool; try again shortly.");
  }

  private async pull(): Promise<void> {
    const data = await this.client.request<PoolViewData>(POOL_QUERY);
    await this.dictionary.merge(data.tags);
    // Cheap once every dimension is checked (an in-memory look); a node that loaded members
    // before a dimension was declared single-valued keeps keying it MANY until they are repaired.
    await this.dictionary.checkPending();
    this.admitted = new Map(data.brands.map((brand) => [brand.id, brand.admitted]));
    this.syncedAt = Date.now();
  }
}
