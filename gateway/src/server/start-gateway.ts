import { readFile } from "node:fs/promises";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled, ApolloServerPluginSchemaReportingDisabled } from "@apollo/server/plugin/disabled";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import { GraphQLError } from "graphql";
import { ERROR_STATUS, FIXED_MESSAGES } from "@brandpool/errors";
import { Authorizer, principalActor } from "@brandpool/policy";
import { importPrivateKey, serviceAudience } from "@brandpool/tokens";
import { serveGraphQL } from "@brandpool/http-server";
import type { HttpService } from "@brandpool/http-server";
import type { GatewayConfig } from "../config.js";
import { callerFromAuthorization } from "../auth/caller-context.js";
import { callerVerifier } from "../auth/verify-caller.js";
import { BrandDataSource } from "../routing/brand-data-source.js";
import { ServiceClient } from "../routing/service-client.js";
import { CoordinatorDataSource } from "../routing/coordinator-data-source.js";
import { RoutingTable } from "../routing/routing-table.js";
import type { GatewayContext, ServiceDataSourceOptions } from "../routing/service-data-source.js";
import { POLICY_MAP_FILE, SUPERGRAPH_FILE } from "../supergraph/supergraph-files.js";
import { MAX_TOKENS, OPERATION_COST, OPERATION_LIMITS } from "../plugins/operation-limits.js";
import { useNoSubscriptions } from "../plugins/use-no-subscriptions.js";
import { useOperationCost } from "../plugins/use-operation-cost.js";
import { usePersistedQueries } from "../plugins/use-persisted-queries.js";
import { formatGatewayError } from "./format-gateway-error.js";

const RECORD_DENIAL = "mutation GatewayDenial($input: PolicyDenialInput!) { recordPolicyDenial(input: $input) }";
const RECORD_NODE_DENIAL = "mutation GatewayDenial($input: GatewayDenialInput!) { recordGatewayDenial(input: $input) }";

/** The only public endpoint: verifies callers, asks Cedar, plans and routes every fetch. */
export async function startGateway(config: GatewayConfig): Promise<HttpService> {
  const [supergraphSdl, policyMapText] = await Promise.all([readFile(SUPERGRAPH_FILE, "utf8"), readFile(POLICY_MAP_FILE, "utf8")]);
  const signingKey = await importPrivateKey(config.GATEWAY_KEY);
  const keyId = config.GATEWAY_KEY.kid ?? "gateway";
  const services = new ServiceClient(signingKey, keyId);
  const coordinator = { url: config.COORDINATOR_URL, audience: serviceAudience({ kind: "coordinator" }) };
  const routing = new RoutingTable((query) => services.query(coordinator, query), {
    ttlMs: config.ROUTING_TTL_MS,
    maxStaleMs: config.ROUTING_MAX_STALE_MS,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const sources: ServiceDataSourceOptions = {
    authorizer: Authorizer.load(),
    policyMap: JSON.parse(policyMapText) as Record<string, string>,
    signingKey,
    keyId,
    reportDenial: ({ action, caller, brandId }) => {
      // Into the platform log and, when the denial concerns a brand, that brand's own log.
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
    },
  };
  // @apollo/gateway otherwise sends usage metrics to Apollo and probes cloud metadata servers
  // (169.254.169.254); the gateway keeps no usage data and calls no one but the services.
  process.env.APOLLO_TELEMETRY_DISABLED = "true";
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) =>
      name === "brand" ? new BrandDataSource(sources, routing) : new CoordinatorDataSource(sources, config.COORDINATOR_URL, routing),
  });
  const armor = new ApolloArmor(OPERATION_LIMITS).protect();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: armor.validationRules as never,
    parseOptions: { maxTokens: MAX_TOKENS },
    allowBatchedHttpRequests: false,
    // Persisted queries are kept per brand by usePersistedQueries; Apollo's own cache is shared.
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    // runUntilSignal stops the whole service (HTTP, Apollo, the pool) in order on SIGINT/SIGTERM.
    stopOnTerminationSignals: false,
    formatError: formatGatewayError,
    plugins: [
      usePersistedQueries(),
      useNoSubscriptions(),
      // graphql-armor is typed against the CommonJS build of @apollo/server; the runtime is the same.
      ...(armor.plugins as unknown as ApolloServerPlugin<GatewayContext>[]),
      useOperationCost<GatewayContext>(OPERATION_COST),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
    ],
  });
  await apollo.start();
  const verifierOptions = {
    platformIssuer: config.PLATFORM_ISSUER,
    platformKeys: config.PLATFORM_KEYS,
    dev: config.dev,
    maxLifetimeSeconds: config.CALLER_TOKEN_MAX_LIFETIME_SECONDS,
  };
  const http = await serveGraphQL<GatewayContext>({
    apollo,
    port: config.PORT,
    host: config.HOST,
    maxBodyBytes: config.MAX_BODY_BYTES,
    context: async (req) => {
      // A caller whose issuer or key the gateway cannot look up (the routing table is past its
      // staleness bound) is not refused as unknown: 503 UNAVAILABLE, and it may try again.
      let registryUnavailable = false;
      const verify = callerVerifier({
        ...verifierOptions,
        route: (brandId) =>
          routing.get(brandId).catch(() => {
            registryUnavailable = true;
            return undefined;
          }),
      });
      try {
        return { caller: await callerFromAuthorization(req, verify), deniedTargets: new Set<string>() };
      } catch (error) {
        if (!registryUnavailable) throw error;
        throw new GraphQLError(FIXED_MESSAGES.UNAVAILABLE, { extensions: { code: "UNAVAILABLE", http: { status: ERROR_STATUS.UNAVAILABLE } } });
      }
    },
  });
  return {
    ...http,
    async close() {
      await http.close();
      await apollo.stop();
    },
  };
}
