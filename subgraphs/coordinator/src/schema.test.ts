import { describeSchemaDecisions } from "@brandpool/subgraph-kit/testing";
import { POLICY_MAP_FILE, SDL_FILE, renderCoordinatorArtifacts } from "./print-sdl.js";
import { COORDINATOR_RESOLVERS, buildCoordinatorSchema } from "./schema.js";

describeSchemaDecisions({
  subgraph: "coordinator",
  resolvers: [...COORDINATOR_RESOLVERS],
  // Built like print-sdl.ts does: no services behind it, every call denied.
  build: () => buildCoordinatorSchema({ container: { get: () => undefined }, authChecker: () => false }),
  // Queries and mutations of every resolver class.
  expectedFields: [
    "Query.viewer",
    "Query.brands",
    "Query.tags",
    "Query.routingTable",
    "Query.verifyAuditChain",
    "Mutation.registerBrand",
    "Mutation.recordNodeEvents",
    "Mutation.upsertTag",
  ],
  render: renderCoordinatorArtifacts,
  files: { sdl: SDL_FILE, policyMap: POLICY_MAP_FILE },
});
