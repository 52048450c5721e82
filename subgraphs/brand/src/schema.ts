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
import { ImportSessionsResolver } from "./members/import-sessions.resolver.js";
import { OutboxRefusalsResolver } from "./outbox/outbox-refusals.resolver.js";
import { OutreachDeliveriesResolver } from "./outreach/outreach-deliveries.resolver.js";
import { CouponCheckResolver } from "./outreach/coupon-check.resolver.js";
import { OutreachMailExportResolver } from "./outreach/outreach-mail-export.resolver.js";
import { PrivacyBudgetResolver } from "./privacy-ledger/privacy-budget.resolver.js";
import { OutreachDecisionResolver } from "./outreach/outreach-decision.resolver.js";
import { OutreachTargetResolver } from "./outreach/outreach-target.resolver.js";
import { OutreachReviewResolver } from "./outreach/outreach-review.resolver.js";
import { OutreachTarget } from "./outreach/outreach-target.type.js";
import { outreachTargetReference } from "./outreach/outreach-target.reference.js";
import { SharingRulesResolver } from "./rules/sharing-rules.resolver.js";
import type { RequestContext } from "./auth/request-context.js";

/** Every resolver class of the brand subgraph. */
export const BRAND_RESOLVERS = [
  MembersResolver,
  ImportSessionsResolver,
  BrandResolver,
  BrandAuditResolver,
  OutreachEvidenceResolver,
  PrivacyBudgetResolver,
  DenialResolver,
  OutboxRefusalsResolver,
  OutreachDecisionResolver,
  OutreachTargetResolver,
  OutreachReviewResolver,
  OutreachDeliveriesResolver,
  OutreachMailExportResolver,
  CouponCheckResolver,
  SharingRulesResolver,
] as const;

export function buildBrandSchema(options: {
  brandId: string;
  container: ContainerType;
  authChecker: AuthChecker<RequestContext>;
}): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [...BRAND_RESOLVERS],
      // Brand is reached only through entity fetches, never from a root field of this subgraph.
      orphanedTypes: [Brand, OutreachTarget, OutreachTargetEvidence],
      container: options.container,
      authChecker: options.authChecker,
      authMode: "error",
      validate: false,
      emitSchemaFile: false,
    },
    { ...brandReference(options.brandId), ...outreachTargetReference(options.brandId) },
  );
}
