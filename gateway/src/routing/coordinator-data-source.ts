import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { serviceAudience } from "@brandpool/tokens";
import type { Resource } from "@brandpool/policy";
import { GATEWAY_CALLER, ServiceDataSource, errorResponse } from "./service-data-source.js";
import type { GatewayContext, ServiceDataSourceOptions } from "./service-data-source.js";

/** The coordinator: one deployment, platform resources (a node's own events concern its brand). */
export class CoordinatorDataSource extends ServiceDataSource {
  constructor(
    options: ServiceDataSourceOptions,
    private readonly coordinatorUrl: string,
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
      action === "RecordEvent" && caller.principal.kind === "node"
        ? { kind: "brand", id: caller.principal.brand.id, admitted: caller.principal.brand.admitted }
        : { kind: "platform" };
    if (!this.authorizeFetch(options.request.query ?? "", caller, resourceOf)) return { errors: [errorResponse("FORBIDDEN")] };
    let response: GatewayGraphQLResponse;
    try {
      response = await this.callService(options, options.request, { ...target, caller: caller.forwarded });
    } catch {
      return { errors: [errorResponse("UNAVAILABLE")] };
    }
    const errors = ServiceDataSource.cleanErrors(response.errors, false);
    return { ...response, ...(errors ? { errors } : {}) };
  }
}
