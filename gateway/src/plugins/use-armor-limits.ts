import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { ValidationRule } from "graphql";
import { OPERATION_LIMITS } from "./operation-limits.js";
import type { ArmorLimits } from "./operation-limits.js";

/** What Apollo Server takes from graphql-armor: rules for its `validationRules`, plugins for its `plugins`. */
export interface ArmorProtection<TContext extends object> {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<TContext>[];
}

/**
 * graphql-armor's depth, alias and directive limits (validation rules, so they refuse before
 * anything is planned) and its blocking of field suggestions in validation errors.
 *
 * @param limits graphql-armor's configuration; default `OPERATION_LIMITS` (depth 10, 15 aliases,
 * 20 directives, field suggestions blocked; armor's token and cost rules off, as the parser's
 * `maxTokens` and `useOperationCost` bound those).
 */
export function useArmorLimits<TContext extends object>(limits: ArmorLimits = OPERATION_LIMITS): ArmorProtection<TContext> {
  const armor = new ApolloArmor(limits).protect();
  return {
    validationRules: armor.validationRules as unknown as ValidationRule[],
    // graphql-armor is typed against the CommonJS build of @apollo/server; the runtime is the same.
    plugins: armor.plugins as unknown as ApolloServerPlugin<TContext>[],
  };
}
