import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import type { AuthChecker, ContainerType } from "type-graphql";
import { buildFederatedSchema } from "@brandpool/subgraph-kit";
import { AuditResolver } from "./audit/audit.resolver.js";
import { AuditHeadsResolver } from "./audit/audit-heads.resolver.js";
import { ReconciliationResolver } from "./audit/reconciliation.resolver.js";
import type { CoordinatorContext } from "./auth/request-context.js";
import { NodeEventsResolver } from "./events/node-events.resolver.js";
import { OutreachRequestResolver } from "./outreach/outreach-request.resolver.js";
import { OutreachDeliveryResolver } from "./outreach/outreach-delivery.resolver.js";
import { OutreachTargetResolver } from "./outreach/outreach-target.resolver.js";
import { CouponRedemptionResolver } from "./outreach/coupon-redemption.resolver.js";
import { RegistryResolver } from "./registry/registry.resolver.js";
import { TaxonomyResolver } from "./taxonomy/taxonomy.resolver.js";
import { ViewerResolver } from "./viewer/viewer.resolver.js";

/** Every resolver class of the coordinator subgraph. */
export const COORDINATOR_RESOLVERS = [ViewerResolver, RegistryResolver, TaxonomyResolver, NodeEventsResolver, AuditResolver, AuditHeadsResolver, ReconciliationResolver, OutreachRequestResolver, OutreachDeliveryResolver, OutreachTargetResolver, CouponRedemptionResolver] as const;

export function buildCoordinatorSchema(options: {
  container: ContainerType;
  authChecker: AuthChecker<CoordinatorContext>;
}): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [...COORDINATOR_RESOLVERS],
      container: options.container,
      authChecker: options.authChecker,
      authMode: "error",
      validate: false,
      emitSchemaFile: false,
    },
    // The gateway hands back what the plan fetched elsewhere (each target's own evidence): resolved from the reference.
    { Brand: { __resolveReference: (reference: never) => reference }, OutreachReconciliation: { __resolveReference: (reference: never) => reference } },
  );
}
