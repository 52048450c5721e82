import { createRequire } from "node:module";
import type { DocumentNode, GraphQLSchema } from "graphql";
import type { ComplexityEstimator } from "graphql-query-complexity";

// Its ESM build imports `graphql/index.mjs`, a second copy of graphql beside the CommonJS one
// that Apollo and this gateway load ("Cannot use GraphQLObjectType from another module or realm"
// under a bundler that prefers `module`); its CommonJS build requires plain `graphql`. This file
// uses no graphql value itself (no instanceof), so it works whichever copy the schema came from.
const { getComplexity } = createRequire(import.meta.url)("graphql-query-complexity") as typeof import("graphql-query-complexity");

/** How operations are priced (useOperationCost); the defaults are OPERATION_COST in operation-limits.ts. */
export interface OperationCostModel {
  /** Largest cost admitted; default 10,000. */
  maxCost: number;
  /** A field with a selection set costs this plus its children; default 2. */
  objectCost: number;
  /** A leaf field; default 1. */
  scalarCost: number;
  /** Each level below a field weighs this much more than the level above; default 1.5. */
  depthCostFactor: number;
  /** Rows a paged field (`first`/`last`) returns when the caller names none (the nodes' default); default 20. */
  defaultPageSize: number;
  /** Fields and fragments visited before the operation is refused outright; default 5,000. */
  maxNodes: number;
}

export type OperationCost =
  | { kind: "priced"; cost: number }
  | { kind: "too-large" }
  | { kind: "bad-variables"; message: string };

/** The page size a field will return: its `first` or `last`, with the request's variables already applied. */
function pageSize(args: Record<string, unknown>, declaresPaging: boolean, model: OperationCostModel): number {
  const asked = typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : undefined;
  if (asked !== undefined) return Math.max(1, asked);
  return declaresPaging ? model.defaultPageSize : 1;
}

/**
 * The same prices as graphql-armor's cost rule (object 2, scalar 1, children weigh 1.5 times
 * their parent's level, a paged field multiplies by its page size), but with arguments read
 * after the request's variables are applied: `members(first: $f)` costs what `$f` says, where
 * armor counted only a literal `first` and priced `first: $f` as one row.
 */
function estimator(model: OperationCostModel): ComplexityEstimator {
  return ({ field, node, args, childComplexity }) => {
    // As armor: introspection of the whole schema is not priced (the depth limit bounds it).
    if (field.name === "__schema") return 0;
    if (!node.selectionSet) return model.scalarCost;
    const declaresPaging = field.args.some((arg) => arg.name === "first" || arg.name === "last");
    return (model.objectCost + model.depthCostFactor * childComplexity) * pageSize(args, declaresPaging, model);
  };
}

const TOO_MANY_NODES = "Query exceeds the maximum allowed number of nodes.";

/** Prices one operation with its variables (graphql-query-complexity coerces them as execution would). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  model: OperationCostModel,
): OperationCost {
  try {
    const cost = getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      ...(operationName ? { operationName } : {}),
      estimators: [estimator(model)],
      maxQueryNodes: model.maxNodes,
    });
    return { kind: "priced", cost };
  } catch (error) {
    const graphqlError = error instanceof Error && error.name === "GraphQLError";
    if (graphqlError && error.message === TOO_MANY_NODES) return { kind: "too-large" };
    // Variables (or arguments through them) that do not coerce: execution would refuse them too.
    if (graphqlError) return { kind: "bad-variables", message: error.message };
    throw error;
  }
}
