import { Kind, parse } from "graphql";
import type { FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode } from "graphql";

/** `Type.field` -> Cedar action, composed from the subgraphs' committed policy maps. */
export type PolicyMap = Readonly<Record<string, string>>;

export interface FetchAction {
  field: string;
  action: string | null;
}

const cache = new Map<string, FetchAction[]>();
const CACHE_LIMIT = 1_000;

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/**
 * The fields of a selection set with the type each is selected on, through inline fragments and
 * named fragment spreads (the query planner reuses the caller's named fragments in the fetches it
 * sends). A spread of a fragment the document does not define yields `null`: unknown, deny.
 */
function fieldsOf(selectionSet: SelectionSetNode, typeName: string, fragments: Fragments, into: (string | null)[], seen = new Set<string>()): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== "__typename") into.push(`${typeName}.${selection.name.value}`);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fieldsOf(selection.selectionSet, selection.typeCondition?.name.value ?? typeName, fragments, into, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment) into.push(null);
      else if (!seen.has(name)) fieldsOf(fragment.selectionSet, fragment.typeCondition.name.value, fragments, into, new Set([...seen, name]));
    }
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
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((definition) => [definition.name.value, definition]),
  );
  const rootType = operation.operation === "mutation" ? "Mutation" : operation.operation === "query" ? "Query" : "Subscription";
  const actions: FetchAction[] = [];
  const rootFields: (string | null)[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind === Kind.FIELD && selection.name.value === "_entities" && selection.selectionSet) {
      const fields: (string | null)[] = [];
      fieldsOf(selection.selectionSet, "?", fragments, fields);
      for (const field of fields) {
        if (field === null) actions.push({ field: "?", action: null });
        else if (map[field]) actions.push({ field, action: map[field] });
      }
    } else {
      fieldsOf({ kind: Kind.SELECTION_SET, selections: [selection] }, rootType, fragments, rootFields);
    }
  }
  for (const field of rootFields) {
    // A root fragment on another type than the root names no field of this operation: deny.
    const own = field?.startsWith(`${rootType}.`) ? field : null;
    actions.push({ field: own ?? "?", action: own ? (map[own] ?? null) : null });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(query, actions);
  return actions;
}
