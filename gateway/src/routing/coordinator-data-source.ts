import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { GraphQLFormattedError } from "graphql";
import { serviceAudience } from "@brandpool/tokens";
import type { Resource } from "@brandpool/policy";
import { brandKeyLookups } from "./brand-lookup.js";
import type { RoutingTable } from "./routing-table.js";
import { GATEWAY_CALLER, ServiceDataSource, errorResponse } from "./service-data-source.js";
import type { GatewayContext, ServiceDataSourceOptions } from "./service-data-source.js";

/** The coordinator: one deployment, platform resources (a node's own events and inbox concern its brand). */
export class CoordinatorDataSource extends ServiceDataSource {
  constructor(
    options: ServiceDataSourceOptions,
    private readonly coordinatorUrl: string,
    private readonly routing: RoutingTable,
  ) {
    super(options);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const caller = options.context.caller;
    const target = { url: this.coordinatorUrl, audience: serviceAudience({ kind: "coordinator" }) };
    if (options.kind !== "incoming operation" || !caller) {
      return this.callService(options, options.request, { ...target, caller: GATEWAY_CALLER });
    }
    const resourceOf = (action: string): Resource =>
      (action === "RecordEvent" || action === "PullOutreach" || action === "ReadAuditHeads") && caller.principal.kind === "node"
        ? { kind: "brand", id: caller.principal.brand.id, admitted: caller.principal.brand.admitted }
        : { kind: "platform" };
    if (!this.authorizeFetch(options.request.query ?? "", options.context, resourceOf)) return { errors: [errorResponse("FORBIDDEN")] };
    let response: GatewayGraphQLResponse;
    try {
      response = await this.callService(options, options.request, { ...target, caller: caller.forwarded });
    } catch (error) {
      this.reportFailure("the coordinator", error);
      return this.withoutCoordinator(options);
    }
    const errors = ServiceDataSource.cleanErrors(response.errors, false);
    return { ...response, ...(errors ? { errors } : {}) };
  }

  /**
   * The coordinator did not answer. A fetch that only looks up brands' keys (the first step of
   * every `brand(id) { <node field> }`) is answered from the routing table the gateway last read,
   * as the coordinator would (null and NOT_FOUND for an unregistered id), so estimates and other
   * questions to the nodes keep working; anything else is UNAVAILABLE.
   */
  private async withoutCoordinator(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const lookups = brandKeyLookups(options.request.query ?? "", options.request.variables);
    if (!lookups) return { errors: [errorResponse("UNAVAILABLE")] };
    const data: Record<string, unknown> = {};
    const errors: GraphQLFormattedError[] = [];
    try {
      for (const lookup of lookups) {
        const route = await this.routing.get(lookup.id);
        if (!route) {
          data[lookup.key] = null;
          errors.push(errorResponse("NOT_FOUND", [lookup.key]));
          continue;
        }
        data[lookup.key] = Object.fromEntries(lookup.fields.map((field) => [field.key, field.name === "id" ? route.id : "Brand"]));
      }
    } catch {
      return { errors: [errorResponse("UNAVAILABLE")] };
    }
    return { data, ...(errors.length ? { errors } : {}) };
  }
}
