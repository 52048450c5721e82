import { z } from "zod";
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

/**
 * Node URLs and keys from the coordinator's registry, cached briefly: adding a brand is a
 * registration, not a re-composition. An unknown brand forces one refresh before it is refused.
 */
export class RoutingTable {
  private routes = new Map<string, BrandRoute>();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly fetchTable: (query: string) => Promise<unknown>,
    private readonly ttlMs: number,
  ) {}

  async get(brandId: string): Promise<BrandRoute | undefined> {
    if (Date.now() - this.loadedAt > this.ttlMs) await this.refresh();
    if (!this.routes.has(brandId) && Date.now() - this.loadedAt > 500) await this.refresh();
    return this.routes.get(brandId);
  }

  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const data = z.object({ routingTable: z.array(BrandRouteSchema) }).parse(await this.fetchTable(ROUTING_QUERY));
    this.routes = new Map(data.routingTable.map((route) => [route.id, route]));
    this.loadedAt = Date.now();
  }
}
