import { z } from "zod";
import { AppError } from "@brandpool/errors";
import { JwkSetSchema, PublicJwkSchema } from "@brandpool/tokens";

export const BrandRouteSchema = z.object({
  id: z.string(),
  nodeUrl: z.string().url(),
  admitted: z.boolean(),
  issuer: z.string(),
  issuerKeys: JwkSetSchema,
  nodeKey: PublicJwkSchema,
});
export type BrandRoute = z.infer<typeof BrandRouteSchema>;

const ROUTING_QUERY = "query GatewayRoutingTable { routingTable { id nodeUrl admitted issuer issuerKeys nodeKey } }";

export interface RoutingTableOptions {
  /** How long a table read from the coordinator is used before it is read again. */
  ttlMs: number;
  /** How long the last table read is still used while the coordinator cannot be read; then UNAVAILABLE. */
  maxStaleMs: number;
  /** Notes a failed read (once per outage and on recovery); the gateway logs no more than that. */
  log?: (line: string) => void;
}

/**
 * Node URLs and keys from the coordinator's registry, cached briefly: adding a brand is a
 * registration, not a re-composition. An unknown brand forces one refresh before it is refused.
 *
 * When the coordinator cannot be read, the last table read keeps serving for `maxStaleMs` from
 * that read (the brands' nodes and the callers' issuers do not go away with the coordinator);
 * meanwhile it is read again in the background at most once per `ttlMs`, so no caller waits on a
 * coordinator that is known to be down. Past the bound every lookup is UNAVAILABLE: a table that
 * old may still route to a suspended brand or trust a revoked key.
 */
export class RoutingTable {
  private routes = new Map<string, BrandRoute>();
  private loadedAt = 0;
  private failedAt = 0;
  private forcedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly fetchTable: (query: string) => Promise<unknown>,
    private readonly options: RoutingTableOptions,
  ) {}

  /** The route of a registered brand, undefined for an unknown one; UNAVAILABLE past the staleness bound. */
  async get(brandId: string): Promise<BrandRoute | undefined> {
    await this.current();
    // An unknown brand may have just been registered: read again, at most twice a second (a
    // regular read a moment ago may predate the registration, so it does not count).
    if (!this.routes.has(brandId) && Date.now() - this.forcedAt > 500 && !this.degraded()) {
      this.forcedAt = Date.now();
      await this.refresh().catch(() => undefined);
    }
    return this.routes.get(brandId);
  }

  /** Reads the table now (one read at a time); rejects when the coordinator did not answer. */
  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Whether the last read failed (the table in use is older than the TTL). */
  private degraded(): boolean {
    return this.failedAt > this.loadedAt;
  }

  private async current(): Promise<void> {
    const now = Date.now();
    if (now - this.loadedAt <= this.options.ttlMs) return;
    const retryDue = now - this.failedAt > this.options.ttlMs;
    const usable = now - this.loadedAt <= this.options.maxStaleMs;
    if (!this.degraded()) {
      // The coordinator answered last time: wait for it, so a registry change shows at once.
      await this.refresh().catch(() => undefined);
    } else if (retryDue && usable) {
      // Known down: try again behind the callers' backs; the stale table serves meanwhile.
      void this.refresh().catch(() => undefined);
    } else if (retryDue) {
      await this.refresh().catch(() => undefined);
    }
    if (Date.now() - this.loadedAt > this.options.maxStaleMs) {
      throw new AppError("UNAVAILABLE", "The gateway cannot read the brand registry.");
    }
  }

  private async load(): Promise<void> {
    try {
      const data = z.object({ routingTable: z.array(BrandRouteSchema) }).parse(await this.fetchTable(ROUTING_QUERY));
      if (this.degraded()) this.options.log?.("[gateway] the coordinator answered again; routing table refreshed");
      this.routes = new Map(data.routingTable.map((route) => [route.id, route]));
      this.loadedAt = Date.now();
    } catch (error) {
      if (!this.degraded()) this.options.log?.("[gateway] could not read the routing table; serving the last one read");
      this.failedAt = Date.now();
      throw error;
    }
  }
}
