import { Kind, parse } from "graphql";
import type { OperationDefinitionNode } from "graphql";

/** What a fetch of the query plan is: a root fetch, or an `_entities` fetch and its variable. */
export type FetchShape = { kind: "root" } | { kind: "entities"; variable: string } | { kind: "malformed" };

const cache = new Map<string, FetchShape>();
const CACHE_LIMIT = 1_000;

function shapeOf(query: string): FetchShape {
  let operation: OperationDefinitionNode | undefined;
  try {
    operation = parse(query).definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return { kind: "malformed" };
  }
  if (!operation) return { kind: "malformed" };
  const fields = operation.selectionSet.selections;
  const entities = fields.filter((selection) => selection.kind === Kind.FIELD && selection.name.value === "_entities");
  if (entities.length === 0) return { kind: "root" };
  // The query planner's entity fetch is one `query`, one `_entities(representations: $var)`, nothing else.
  const [field] = entities;
  if (operation.operation !== "query" || fields.length !== 1 || field?.kind !== Kind.FIELD || field.alias) return { kind: "malformed" };
  const argument = field.arguments?.find((arg) => arg.name.value === "representations");
  if (field.arguments?.length !== 1 || argument?.value.kind !== Kind.VARIABLE) return { kind: "malformed" };
  return { kind: "entities", variable: argument.value.name.value };
}

/**
 * Tells an entity fetch from a root fetch by the operation the query planner wrote, never by the
 * variables: a client's own variable named `representations` travels with a root fetch too. The
 * public API schema has no `_entities`, so only the planner can write one.
 */
export function fetchShape(query: string): FetchShape {
  const cached = cache.get(query);
  if (cached) return cached;
  const shape = shapeOf(query);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(query, shape);
  return shape;
}
