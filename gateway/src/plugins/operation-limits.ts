import type { ApolloArmor } from "@escape.tech/graphql-armor";
import type { OperationCostModel } from "./operation-cost.js";

/** graphql-armor's configuration, as its constructor takes it (useArmorLimits). */
export type ArmorLimits = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;

/**
 * Most lexical tokens in one operation. Enforced by graphql-js's own parser (`parseOptions`),
 * which stops at the limit and answers a parse error (HTTP 400); graphql-armor's token plugin
 * parsed every document a second time and answered HTTP 500.
 */
export const MAX_TOKENS = 2_000;

/**
 * Bounds on every operation (invariant 6), enforced before planning: depth, aliases and
 * directives (graphql-armor's validation rules), tokens (MAX_TOKENS) and cost (OPERATION_COST).
 * Batched HTTP requests are refused and the body size is capped in serveGraphQL.
 */
export const OPERATION_LIMITS: ArmorLimits = {
  maxDepth: { n: 10, propagateOnRejection: true },
  maxAliases: { n: 15 },
  maxDirectives: { n: 20 },
  maxTokens: { enabled: false },
  // Armor's cost rule runs as a validation rule, without the variables, so it priced
  // `members(first: $f)` as one row: the cost is useOperationCost's, with the variables.
  costLimit: { enabled: false },
  blockFieldSuggestion: { enabled: true },
};

/**
 * The price of an operation with its variables (useOperationCost). It admits one full page of
 * `members` (first: 100, every field, about 7,800) and refuses two, literal or through variables.
 */
export const OPERATION_COST: OperationCostModel = {
  maxCost: 10_000,
  objectCost: 2,
  scalarCost: 1,
  depthCostFactor: 1.5,
  defaultPageSize: 20,
  maxNodes: 5_000,
};
