import { performance } from "node:perf_hooks";
import { readFile } from "node:fs/promises";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { GraphQLError } from "graphql";
import { ERROR_STATUS, FIXED_MESSAGES } from "@brandpool/errors";
import { Authorizer } from "@brandpool/policy";
import { importPrivateKey, serviceAudience } from "@brandpool/tokens";
import { serveGraphQL } from "@brandpool/http-server";
import type { HttpService } from "@brandpool/http-server";
import type { GatewayConfig } from "../config.js";
import { callerFromAuthorization } from "../auth/caller-context.js";
import { callerVerifier } from "../auth/verify-caller.js";
import { VerifiedTokens } from "../auth/verified-tokens.js";
import { BrandDataSource } from "../routing/brand-data-source.js";
import { ServiceClient } from "../routing/service-client.js";
import { CoordinatorDataSource } from "../routing/coordinator-data-source.js";
import { RoutingTable } from "../routing/routing-table.js";
import type { GatewayContext, ServiceDataSourceOptions } from "../routing/service-data-source.js";
import { POLICY_MAP_FILE, SUPERGRAPH_FILE } from "../supergraph/supergraph-files.js";
import { MAX_TOKENS } from "../plugins/operation-limits.js";
import { useArmorLimits } from "../plugins/use-armor-limits.js";
import { useDenialReports } from "../plugins/use-denial-reports.js";
import { useNoLandingPage } from "../plugins/use-no-landing-page.js";
import { useNoSubscriptions } from "../plugins/use-no-subscriptions.js";
import { useNoTelemetry } from "../plugins/use-no-telemetry.js";
import { useOperationCost } from "../plugins/use-operation-cost.js";
import { usePersistedQueries } from "../plugins/use-persisted-queries.js";
import { useServerTiming } from "../plugins/use-server-timing.js";
import { RequestTiming } from "../timing/request-timing.js";
import { DecisionCache } from "../policy/decision-cache.js";
import { formatGatewayError } from "./format-gateway-error.js";
import { adminRoutes } from "../admin/admin-routes.js";
import { DEFAULT_ADMIN_DIR } from "../admin/admin-static.js";

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
    authorizer: new DecisionCache(Authorizer.load()),
    policyMap: JSON.parse(policyMapText) as Record<string, string>,
    signingKey,
    keyId,
    reportDenial: useDenialReports({ services, coordinator, routing }),
    log: (line) => process.stderr.write(`${line}\n`),
  };
  // Before the ApolloGateway: it reads APOLLO_TELEMETRY_DISABLED when constructed.
  const noTelemetry = useNoTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) =>
      name === "brand" ? new BrandDataSource(sources, routing) : new CoordinatorDataSource(sources, config.COORDINATOR_URL, routing),
    ...(config.serverTiming
      ? { experimental_didResolveQueryPlan: ({ requestContext }) => (requestContext.context as GatewayContext).timing?.didResolveQueryPlan() }
      : {}),
  });
  const armor = useArmorLimits<GatewayContext>();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: armor.validationRules,
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
      ...armor.plugins,
      useOperationCost<GatewayContext>(),
      useNoLandingPage(),
      ...noTelemetry,
      ...(config.serverTiming ? [useServerTiming()] : []),
    ],
  });
  await apollo.start();
  const verifierOptions = {
    platformIssuer: config.PLATFORM_ISSUER,
    platformKeys: config.PLATFORM_KEYS,
    coordinatorKeys: config.COORDINATOR_CLIENT_KEYS ?? null,
    dev: config.dev,
    maxLifetimeSeconds: config.CALLER_TOKEN_MAX_LIFETIME_SECONDS,
    verified: new VerifiedTokens(),
  };
  const pages = adminRoutes({ adminDir: config.ADMIN_DIR ?? DEFAULT_ADMIN_DIR, devIssuerKeys: config.dev ? config.DEV_ISSUER_KEYS : undefined });
  const http = await serveGraphQL<GatewayContext>({
    apollo,
    routes: pages.routes,
    browserPage: pages.browserPage,
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
        if (!config.serverTiming) return { caller: await callerFromAuthorization(req, verify), deniedTargets: new Set<string>() };
        const timing = new RequestTiming();
        const started = performance.now();
        const caller = await callerFromAuthorization(req, verify);
        timing.add("jwt", performance.now() - started);
        return { caller, deniedTargets: new Set<string>(), timing };
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
