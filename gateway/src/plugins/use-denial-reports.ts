import { principalActor } from "@brandpool/policy";
import { serviceAudience } from "@brandpool/tokens";
import type { RoutingTable } from "../routing/routing-table.js";
import type { ServiceClient } from "../routing/service-client.js";
import type { ServiceDataSourceOptions } from "../routing/service-data-source.js";

const RECORD_DENIAL = "mutation GatewayDenial($input: PolicyDenialInput!) { recordPolicyDenial(input: $input) }";
const RECORD_NODE_DENIAL = "mutation GatewayDenial($input: GatewayDenialInput!) { recordGatewayDenial(input: $input) }";

export interface DenialReportsOptions {
  /** The gateway's own client (principal `gateway`) that sends the reports. */
  services: Pick<ServiceClient, "query">;
  /** The coordinator, whose platform log records every denial: its URL and token audience. */
  coordinator: { url: string; audience: string };
  /** Where a denial that concerns a brand finds that brand's node. */
  routing: Pick<RoutingTable, "get">;
}

/**
 * The data sources' `reportDenial`: each denial of the gateway's Cedar check goes into the
 * platform log and, when it concerns a brand, that brand's own log (`recordGatewayDenial`). The
 * data sources call it once per operation and target. No defaults.
 */
export function useDenialReports(options: DenialReportsOptions): ServiceDataSourceOptions["reportDenial"] {
  const { services, coordinator, routing } = options;
  return ({ action, caller, brandId }) => {
    // Reported while the caller's answer is on its way; a lost report is logged, not retried.
    const actor = principalActor(caller.principal);
    const lost = () => process.stderr.write(`[gateway] could not record a policy denial (${action})\n`);
    services.query(coordinator, RECORD_DENIAL, { input: { action, brandId, actor } }).catch(lost);
    if (brandId) {
      routing
        .get(brandId)
        .then((route) => {
          if (!route) return;
          const node = { url: route.nodeUrl, audience: serviceAudience({ kind: "node", brandId }) };
          return services.query(node, RECORD_NODE_DENIAL, { input: { action, actor } });
        })
        .catch(lost);
    }
  };
}
