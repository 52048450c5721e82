import { Kind, parse } from "graphql";
import type { OperationDefinitionNode, SelectionSetNode } from "graphql";

/** `Type.field` -> Cedar action, composed from the subgraphs' committed policy maps. */
export type PolicyMap = Readonly<Record<string, string>>;

export interface FetchAction {
  field: string;
  action: string | null;
}

const cache = new Map<string, FetchAction[]>();
const CACHE_LIMIT = 1_000;

function fieldsOf(selectionSet: SelectionSetNode, typeName: string, into: string[]): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD && selection.name.value !== "__typename") into.push(`${typeName}.${selection.name.value}`);
    if (selection.kind === Kind.INLINE_FRAGMENT) fieldsOf(selection.selectionSet, selection.typeCondition?.name.value ?? typeName, into);
  }
}

/**
 * What one fetch of the query plan asks for: its root fields, or for an entity fetch the fields
 * selected on each entity type. Root fields without a declared action come back with `null`
 * (the caller denies them: fail closed); entity fields without one are plain data.
 */
export function actionsOfFetch(query: string, map: PolicyMap): FetchAction[] {
  const cached = cache.get(query);
  if (cached) return cached;
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return [{ field: "?", action: null }];
  const rootType = operation.operation === "mutation" ? "Mutation" : operation.operation === "query" ? "Query" : "Subscription";
  const actions: FetchAction[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) {
      actions.push({ field: "?", action: null });
      continue;
    }
    const name = selection.name.value;
    if (name === "__typename") continue;
    if (name === "_entities" && selection.selectionSet) {
      const fields: string[] = [];
      fieldsOf(selection.selectionSet, "?", fields);
      for (const field of fields) {
        const action = map[field];
        if (action) actions.push({ field, action });
      }
      continue;
    }
    actions.push({ field: `${rootType}.${name}`, action: map[`${rootType}.${name}`] ?? null });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(query, actions);
  return actions;
}
