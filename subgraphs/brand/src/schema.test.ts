import { describeSchemaDecisions } from "@brandpool/subgraph-kit/testing";
import { POLICY_MAP_FILE, SDL_FILE, renderBrandArtifacts } from "./print-sdl.js";
import { BRAND_RESOLVERS, buildBrandSchema } from "./schema.js";

describeSchemaDecisions({
  subgraph: "brand",
  resolvers: [...BRAND_RESOLVERS],
  // Built like print-sdl.ts does: no services behind it, every call denied.
  build: () => buildBrandSchema({ brandId: "sdl", container: { get: () => undefined }, authChecker: () => false }),
  // The node's root fields and its Brand field resolvers.
  expectedFields: [
    "Query.members",
    "Mutation.importMembers",
    "Mutation.beginImport",
    "Mutation.appendImportRows",
    "Mutation.commitImport",
    "Mutation.tagMembers",
    "Mutation.untagMembers",
    "Mutation.recordGatewayDenial",
    "Query.outboxRefusals",
    "Brand.audienceEstimate",
    "Brand.verifyAuditChain",
    "Mutation.decideOutreachRequest",
    "OutreachTarget.status",
    "OutreachTarget.reason",
    "OutreachTarget.copy",
  ],
  render: renderBrandArtifacts,
  files: { sdl: SDL_FILE, policyMap: POLICY_MAP_FILE },
});
