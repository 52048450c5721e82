import type { ApolloArmor } from "@escape.tech/graphql-armor";

type ApolloArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;

/**
 * Bounds on every operation (invariant 6), enforced before planning: depth, aliases, directives,
 * tokens and cost. Batched HTTP requests are refused and the body size is capped in serveGraphQL.
 */
export const OPERATION_LIMITS: ApolloArmorConfig = {
  maxDepth: { n: 10, propagateOnRejection: true },
  maxAliases: { n: 15 },
  maxDirectives: { n: 20 },
  maxTokens: { n: 2_000 },
  costLimit: { maxCost: 5_000, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5 },
  blockFieldSuggestion: { enabled: true },
};
