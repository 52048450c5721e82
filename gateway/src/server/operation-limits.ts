import type { ApolloArmor } from "@escape.tech/graphql-armor";

type ApolloArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;

/**
 * Most lexical tokens in one operation. Enforced by graphql-js's own parser (`parseOptions`),
 * which stops at the limit and answers a parse error (HTTP 400); graphql-armor's token plugin
 * parsed every document a second time and answered HTTP 500.
 */
export const MAX_TOKENS = 2_000;

/**
 * Bounds on every operation (invariant 6), enforced before planning: depth, aliases, directives
 * and cost (tokens: MAX_TOKENS). Batched HTTP requests are refused and the body size is capped in
 * serveGraphQL. The cost limit admits one full page of `members` (first: 100, every field, about
 * 7,800) and refuses two.
 */
export const OPERATION_LIMITS: ApolloArmorConfig = {
  maxDepth: { n: 10, propagateOnRejection: true },
  maxAliases: { n: 15 },
  maxDirectives: { n: 20 },
  maxTokens: { enabled: false },
  costLimit: { maxCost: 10_000, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5 },
  blockFieldSuggestion: { enabled: true },
};
