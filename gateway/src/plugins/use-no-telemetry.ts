import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from "@apollo/server/plugin/disabled";

/**
 * No usage data leaves the gateway: Apollo Server's usage and schema reporting are off (it would
 * otherwise install them itself when the environment asks for them), and so is @apollo/gateway's
 * own telemetry, which it sends unless `APOLLO_TELEMETRY_DISABLED` is set.
 *
 * Call it before constructing the `ApolloGateway`: the gateway reads that variable in its
 * constructor. No options.
 */
export function useNoTelemetry(): ApolloServerPlugin[] {
  // @apollo/gateway otherwise sends usage metrics to Apollo and probes cloud metadata servers
  // (169.254.169.254); the gateway keeps no usage data and calls no one but the services.
  process.env.APOLLO_TELEMETRY_DISABLED = "true";
  return [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()];
}
