import { Kind, parse } from "graphql";
import type { OperationDefinitionNode } from "graphql";

/** One `brand(id)` of a fetch that asks for nothing but the entity key. */
export interface BrandKeyLookup {
  /** The field's response key (its alias, else `brand`). */
  key: string;
  id: string;
  /** The selected fields, in order: each `__typename` or `id`, maybe aliased. */
  fields: { key: string; name: "__typename" | "id" }[];
}

/**
 * The coordinator fetch that the query planner sends before any `brand(id) { <node field> }`:
 * `brand(id: ...) { __typename id }`, one per alias. The gateway can answer it from the routing
 * table it last read, which lists the same registered brands. Undefined for any other fetch (one
 * that asks for a brand's name, say), which only the coordinator can answer.
 */
export function brandKeyLookups(query: string, variables: Record<string, unknown> | undefined): BrandKeyLookup[] | undefined {
  let operation: OperationDefinitionNode | undefined;
  try {
    operation = parse(query).definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return undefined;
  }
  if (operation?.operation !== "query") return undefined;
  const lookups: BrandKeyLookup[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== "brand" || selection.directives?.length) return undefined;
    const [argument, ...others] = selection.arguments ?? [];
    if (!argument || others.length > 0 || argument.name.value !== "id") return undefined;
    const id =
      argument.value.kind === Kind.STRING
        ? argument.value.value
        : argument.value.kind === Kind.VARIABLE
          ? variables?.[argument.value.name.value]
          : undefined;
    if (typeof id !== "string") return undefined;
    const fields: BrandKeyLookup["fields"] = [];
    for (const child of selection.selectionSet?.selections ?? []) {
      if (child.kind !== Kind.FIELD || child.directives?.length) return undefined;
      const name = child.name.value;
      if (name !== "__typename" && name !== "id") return undefined;
      fields.push({ key: child.alias?.value ?? name, name });
    }
    if (fields.length === 0) return undefined;
    lookups.push({ key: selection.alias?.value ?? "brand", id, fields });
  }
  return lookups.length > 0 ? lookups : undefined;
}
