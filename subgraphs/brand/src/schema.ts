import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import type { AuthChecker, ContainerType } from "type-graphql";
import { buildFederatedSchema } from "@brandpool/subgraph-kit";
import { BrandResolver } from "./brand/brand.resolver.js";
import { DenialResolver } from "./audit/denial.resolver.js";
import { BrandAuditResolver } from "./audit/brand-audit.resolver.js";
import { OutreachEvidenceResolver } from "./audit/outreach-evidence.resolver.js";
import { OutreachTargetEvidence } from "./audit/outreach-evidence.type.js";
import { Brand } from "./brand/brand.type.js";
import { brandReference } from "./brand/brand.reference.js";
import { MembersResolver } from "./members/members.resolver.js";
import { OutboxRefusalsResolver } from "./outbox/outbox-refusals.resolver.js";
import { PrivacyBudgetResolver } from "./privacy-ledger/privacy-budget.resolver.js";
import type { RequestContext } from "./auth/request-context.js";

/** Every resolver class of the brand subgraph. */
export const BRAND_RESOLVERS = [MembersResolver, BrandResolver, BrandAuditResolver, OutreachEvidenceResolver, PrivacyBudgetResolver, DenialResolver, OutboxRefusalsResolver] as const;

export function buildBrandSchema(options: {
  brandId: string;
  container: ContainerType;
  authChecker: AuthChecker<RequestContext>;
}): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [...BRAND_RESOLVERS],
      // Brand is reached only through entity fetches, never from a root field of this subgraph.
      orphanedTypes: [Brand, OutreachTargetEvidence],
      container: options.container,
      authChecker: options.authChecker,
      authMode: "error",
      validate: false,
      emitSchemaFile: false,
    },
    brandReference(options.brandId),
  );
}
