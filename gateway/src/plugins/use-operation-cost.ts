import { GraphQLError } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { ERROR_STATUS } from "@brandpool/errors";
import type { ErrorCode } from "@brandpool/errors";
import { operationCost } from "./operation-cost.js";
import type { OperationCostModel } from "./operation-cost.js";
import { OPERATION_COST } from "./operation-limits.js";

function refusal(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: ERROR_STATUS[code] } } });
}

/**
 * Refuses, before any fetch is planned, an operation whose cost with the request's variables is
 * over `model.maxCost` (LIMIT_EXCEEDED). Runs at `didResolveOperation`, the first hook that has
 * both the parsed operation and the variables; validation rules see no variables. An operation
 * that expands past `model.maxNodes` fields is LIMIT_EXCEEDED too, and variables that do not
 * coerce are BAD_INPUT.
 *
 * @param model the prices and the limit; default `OPERATION_COST` (at most 10,000, which admits one
 * full page of `members` and refuses two).
 */
export function useOperationCost<TContext extends object>(model: OperationCostModel = OPERATION_COST): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const priced = operationCost(schema, document, request.variables, operationName ?? undefined, model);
          if (priced.kind === "too-large") throw refusal("LIMIT_EXCEEDED", `Query Cost limit of ${model.maxCost} exceeded: more than ${model.maxNodes} fields.`);
          if (priced.kind === "bad-variables") throw refusal("BAD_INPUT", priced.message);
          if (priced.cost > model.maxCost) throw refusal("LIMIT_EXCEEDED", `Query Cost limit of ${model.maxCost} exceeded, found ${priced.cost}.`);
        },
      };
    },
  };
}
