import { getMetadataStorage } from "type-graphql";
import type { GraphQLSchema } from "graphql";

/** `Type.field` -> the Cedar action its resolver declares with `@Authorized(action)`. */
export type PolicyMap = Record<string, string>;

const FEDERATION_ROOT_FIELDS = new Set(["_service", "_entities"]);

/**
 * Reads the decision each resolver declares. The gateway composes this map with the SDL, so it
 * asks Cedar about the same action as the node will.
 */
export function policyMapOf(resolvers: readonly Function[]): PolicyMap {
  const storage = getMetadataStorage();
  const actionOf = (target: Function, method: string): string | undefined => {
    const roles = storage.authorizedFields.find((entry) => entry.target === target && entry.fieldName === method)?.roles;
    return roles?.length === 1 ? String(roles[0]) : undefined;
  };
  const map: PolicyMap = {};
  const add = (key: string, action: string | undefined) => {
    if (action) map[key] = action;
  };
  for (const query of storage.queries) if (resolvers.includes(query.target)) add(`Query.${query.schemaName}`, actionOf(query.target, query.methodName));
  for (const mutation of storage.mutations) {
    if (resolvers.includes(mutation.target)) add(`Mutation.${mutation.schemaName}`, actionOf(mutation.target, mutation.methodName));
  }
  for (const field of storage.fieldResolvers) {
    if (!resolvers.includes(field.target) || field.kind !== "external") continue;
    const objectClass = field.getObjectType?.();
    const typeName = storage.objectTypes.find((type) => type.target === objectClass)?.name;
    if (typeName) add(`${typeName}.${field.schemaName}`, actionOf(field.target, field.methodName));
  }
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Fields of the schema that run resolver code without a declared decision: every root field
 * (but federation's own) and every field resolver. Empty when every resolver states who may call it.
 */
export function fieldsWithoutDecision(schema: GraphQLSchema, resolvers: readonly Function[], map: PolicyMap): string[] {
  const missing: string[] = [];
  // Subscriptions too: policyMapOf maps none, so a subscription is reported until it can be.
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    for (const name of Object.keys(root.getFields())) {
      if (!FEDERATION_ROOT_FIELDS.has(name) && !map[`${root.name}.${name}`]) missing.push(`${root.name}.${name}`);
    }
  }
  const storage = getMetadataStorage();
  for (const field of storage.fieldResolvers) {
    if (!resolvers.includes(field.target) || field.kind !== "external") continue;
    const objectClass = field.getObjectType?.();
    const typeName = storage.objectTypes.find((type) => type.target === objectClass)?.name ?? "?";
    if (!map[`${typeName}.${field.schemaName}`]) missing.push(`${typeName}.${field.schemaName}`);
  }
  return missing;
}
