import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { GraphQLFormattedError } from "graphql";
import { serviceAudience } from "@brandpool/tokens";
import { fetchShape } from "./entity-fetch.js";
import type { RoutingTable } from "./routing-table.js";
import { ServiceDataSource, errorResponse } from "./service-data-source.js";
import type { GatewayContext, ServiceDataSourceOptions } from "./service-data-source.js";

type Representation = { __typename?: string; id?: unknown; brandId?: unknown };

/** The brand an entity belongs to: a Brand's own id, or the `brandId` in any other key. */
function brandOf(representation: Representation): string | null {
  const value = representation.__typename === "Brand" ? representation.id : representation.brandId;
  return typeof value === "string" ? value : null;
}

/**
 * The brand subgraph has one schema and many deployments. Root fields go to the caller's own
 * node; each `_entities` batch is split by brand, the nodes are called in parallel, and the
 * answers are merged back in the original order (a node that is down yields nulls and one
 * error per representation, the other brands' data intact).
 */
export class BrandDataSource extends ServiceDataSource {
  constructor(
    options: ServiceDataSourceOptions,
    private readonly routing: RoutingTable,
  ) {
    super(options);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const caller = options.context.caller;
    const query = options.request.query;
    if (options.kind !== "incoming operation" || !caller || !query) return { errors: [errorResponse("UNAUTHENTICATED")] };
    const shape = fetchShape(query);
    // Neither a root fetch nor the planner's `_entities` fetch: nothing the gateway wrote.
    if (shape.kind === "malformed") return { errors: [errorResponse("INTERNAL")] };

    if (shape.kind === "root") {
      const own = caller.forwarded.kind === "user" || caller.forwarded.kind === "node" ? caller.forwarded.brand : null;
      if (!own) {
        // A platform principal has no node of its own to answer a root field (members...): refused,
        // and audited like any denial, since a platform admin reaching for members is worth a trace.
        this.reportRefusal(query, options.context, null);
        return { errors: [errorResponse("FORBIDDEN")] };
      }
      return this.callNode(options, own, undefined, caller.forwarded.kind === "user" ? own : null);
    }

    const given = options.request.variables?.[shape.variable];
    if (!Array.isArray(given)) return { errors: [errorResponse("INTERNAL")] };
    const representations = given as Representation[];

    const groups = new Map<string, number[]>();
    const errors: GraphQLFormattedError[] = [];
    const entities: unknown[] = representations.map(() => null);
    representations.forEach((representation, index) => {
      const brandId = brandOf(representation);
      if (!brandId) errors.push(errorResponse("NOT_FOUND", ["_entities", index]));
      else groups.set(brandId, [...(groups.get(brandId) ?? []), index]);
    });
    const ownBrand = caller.forwarded.kind === "gateway" || caller.forwarded.kind === "coordinator" ? null : caller.forwarded.brand;
    await Promise.all(
      [...groups].map(async ([brandId, indexes]) => {
        const batch = { variable: shape.variable, representations: indexes.map((index) => representations[index] as Representation) };
        const response = await this.callNode(options, brandId, batch, ownBrand);
        const answered = (response.data?._entities as unknown[] | undefined) ?? [];
        indexes.forEach((original, local) => {
          entities[original] = answered[local] ?? null;
        });
        for (const error of response.errors ?? []) {
          const path = error.path ? [...error.path] : undefined;
          if (path?.[0] === "_entities" && typeof path[1] === "number") path[1] = indexes[path[1]] ?? path[1];
          else if (!path) {
            for (const index of indexes) errors.push({ ...error, path: ["_entities", index] });
            continue;
          }
          errors.push({ ...error, path });
        }
      }),
    );
    return { data: { _entities: entities }, ...(errors.length ? { errors } : {}) };
  }

  /** One call to one brand's node, after Cedar; its errors cleaned by who asked. */
  private async callNode(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
    brandId: string,
    entities: { variable: string; representations: Representation[] } | undefined,
    callerBrand: string | null,
  ): Promise<GatewayGraphQLResponse> {
    const representations = entities?.representations;
    const caller = options.context.caller;
    if (!caller) return { errors: [errorResponse("UNAUTHENTICATED")] };
    const route = await this.routing.get(brandId).catch(() => null);
    const failAll = (code: "NOT_FOUND" | "FORBIDDEN" | "UNAVAILABLE") =>
      representations
        ? { data: { _entities: representations.map(() => null) }, errors: representations.map((_, index) => errorResponse(code, ["_entities", index])) }
        : { errors: [errorResponse(code)] };
    // null: the routing table is past its staleness bound (coordinator down too long).
    if (route === null) return failAll("UNAVAILABLE");
    if (!route) return failAll("NOT_FOUND");
    const allowed = this.authorizeFetch(options.request.query ?? "", options.context, () => ({ kind: "brand", id: brandId, admitted: route.admitted }));
    if (!allowed) return failAll("FORBIDDEN");
    const request = entities
      ? { ...options.request, variables: { ...options.request.variables, [entities.variable]: entities.representations } }
      : options.request;
    let response: GatewayGraphQLResponse;
    try {
      response = await this.callService(options, request, {
        url: route.nodeUrl,
        audience: serviceAudience({ kind: "node", brandId }),
        caller: caller.forwarded,
      });
    } catch (error) {
      this.reportFailure(`node ${brandId}`, error);
      return failAll("UNAVAILABLE");
    }
    const errors = ServiceDataSource.cleanErrors(response.errors, brandId !== callerBrand);
    return { ...response, ...(errors ? { errors } : {}) };
  }
}
