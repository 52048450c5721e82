import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { GraphQLSchema } from "graphql";
import type { ResolverData } from "type-graphql";
import { Authorizer } from "@brandpool/policy";
import type { Action, Resource } from "@brandpool/policy";
import { forwardedTokenVerifier, serviceAudience } from "@brandpool/tokens";
import { callerFromRequest, serveGraphQL } from "@brandpool/http-server";
import type { HttpService } from "@brandpool/http-server";
import { createFormatError, createPolicyAuthChecker, reportUnexpectedError, serviceContext } from "@brandpool/subgraph-kit";
import type { CoordinatorConfig } from "./config.js";
import { openDatabase } from "./db/database.js";
import { AuditResolver } from "./audit/audit.resolver.js";
import { AuditHeadsResolver } from "./audit/audit-heads.resolver.js";
import { AuditHeadsService } from "./audit/audit-heads.service.js";
import { ReconciliationResolver } from "./audit/reconciliation.resolver.js";
import { ReconciliationService } from "./audit/reconciliation.service.js";
import { PlatformAudit } from "./audit/platform-audit.service.js";
import type { CoordinatorContext } from "./auth/request-context.js";
import { NodeEventsResolver } from "./events/node-events.resolver.js";
import { NodeEventsService } from "./events/node-events.service.js";
import { OutreachRequestResolver } from "./outreach/outreach-request.resolver.js";
import { OutreachDeliveryResolver } from "./outreach/outreach-delivery.resolver.js";
import { OutreachTargetResolver } from "./outreach/outreach-target.resolver.js";
import { CouponRedemptionResolver } from "./outreach/coupon-redemption.resolver.js";
import { CoordinatorGatewayClient } from "./outreach/gateway-client.js";
import { RedeemCouponService } from "./outreach/redeem-coupon.service.js";
import { OutreachDeliveryService } from "./outreach/outreach-delivery.service.js";
import { OutreachRequestService } from "./outreach/outreach-request.service.js";
import { BrandRepository } from "./registry/brand.repository.js";
import { RegistryResolver } from "./registry/registry.resolver.js";
import { RegistryService } from "./registry/registry.service.js";
import { TaxonomyResolver } from "./taxonomy/taxonomy.resolver.js";
import { TaxonomyService } from "./taxonomy/taxonomy.service.js";
import { ViewerResolver } from "./viewer/viewer.resolver.js";
import { buildCoordinatorSchema } from "./schema.js";

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface Coordinator extends HttpService {
  schema: GraphQLSchema;
}

export async function startCoordinator(config: CoordinatorConfig): Promise<Coordinator> {
  const authorizer = Authorizer.load();
  const { pool, db } = openDatabase(config.DATABASE_URL);
  const audit = new PlatformAudit(pool);
  const registry = new RegistryService(db, pool, audit);
  const taxonomy = new TaxonomyService(db, pool, audit);
  const events = new NodeEventsService(pool, audit);
  const brands = new BrandRepository(db);
  const gatewayClient = config.GATEWAY_URL && config.COORDINATOR_CLIENT_KEY ? new CoordinatorGatewayClient(config.GATEWAY_URL, config.COORDINATOR_CLIENT_KEY) : null;

  const admitted = async (brandId: string): Promise<boolean> => (await brands.find(brandId))?.admitted ?? false;
  const resourceOf = async (action: Action, data: ResolverData<CoordinatorContext>): Promise<Resource> => {
    const { caller } = data.context;
    // A node pulls what is addressed to its own brand; anyone else asks about the platform and is refused.
    if (action === "PullOutreach" || action === "ReadAuditHeads") return caller.kind === "node" ? { kind: "brand", id: caller.brand, admitted: await admitted(caller.brand) } : { kind: "platform" };
    if (action !== "RecordEvent") return { kind: "platform" };
    // A node records events about its own brand; the gateway names the brand a denial concerns.
    const input = (data.args as { input?: { brandId?: string | null } }).input;
    const brandId = caller.kind === "node" ? caller.brand : input?.brandId;
    return brandId ? { kind: "brand", id: brandId, admitted: await admitted(brandId) } : { kind: "platform" };
  };

  const instances = new Map<Function, unknown>([
    [ViewerResolver, new ViewerResolver()],
    [RegistryResolver, new RegistryResolver(registry)],
    [TaxonomyResolver, new TaxonomyResolver(taxonomy)],
    [OutreachRequestResolver, new OutreachRequestResolver(new OutreachRequestService(db, pool, audit))],
    [OutreachDeliveryResolver, new OutreachDeliveryResolver(new OutreachDeliveryService(db, pool, audit))],
    [OutreachTargetResolver, new OutreachTargetResolver(db)],
    [CouponRedemptionResolver, new CouponRedemptionResolver(new RedeemCouponService(db, pool, audit, gatewayClient, config.REDEEM_RATE_LIMIT))],
    [NodeEventsResolver, new NodeEventsResolver(events)],
    [AuditResolver, new AuditResolver(audit)],
    [AuditHeadsResolver, new AuditHeadsResolver(new AuditHeadsService(pool, audit))],
    [ReconciliationResolver, new ReconciliationResolver(new ReconciliationService(pool))],
  ]);
  const schema = await buildCoordinatorSchema({
    container: { get: (someClass) => instances.get(someClass) },
    authChecker: createPolicyAuthChecker<CoordinatorContext>({
      authorizer,
      principalOf: (context) => context.principal(),
      resourceOf,
      onDeny: ({ action, principal, resource }) =>
        events.recordOwnDenial(principal, action, resource.kind === "brand" ? { kind: "brand", brand: resource.id } : { kind: "platform" }),
    }),
  });

  const apollo = new ApolloServer<CoordinatorContext>({
    schema,
    formatError: createFormatError(reportUnexpectedError("coordinator")),
    includeStacktraceInErrorResponses: false,
    // runUntilSignal stops the whole service (HTTP, Apollo, the pool) in order on SIGINT/SIGTERM.
    stopOnTerminationSignals: false,
    // No traces in responses: they would carry timings and paths to the gateway and beyond.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const verify = forwardedTokenVerifier({ audience: serviceAudience({ kind: "coordinator" }), trustedKeys: config.GATEWAY_KEYS });
  const http = await serveGraphQL<CoordinatorContext>({
    apollo,
    port: config.PORT,
    host: config.HOST,
    maxBodyBytes: MAX_BODY_BYTES,
    context: async (req) => serviceContext(await callerFromRequest(req, verify), admitted),
  });
  return {
    ...http,
    schema,
    async close() {
      await http.close();
      await apollo.stop();
      await pool.end();
    },
  };
}
