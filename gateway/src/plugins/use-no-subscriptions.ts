import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import { ERROR_STATUS } from "@brandpool/errors";
import type { GatewayContext } from "../routing/service-data-source.js";

/**
 * The gateway serves queries and mutations over plain HTTP; a subscription operation is refused
 * as the caller's mistake (BAD_INPUT, HTTP 400), before anything is planned or fetched, instead
 * of failing inside Apollo Gateway as INTERNAL. No options.
 */
export function useNoSubscriptions(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === "subscription") {
            throw new GraphQLError("Subscriptions are not supported.", { extensions: { code: "BAD_INPUT", http: { status: ERROR_STATUS.BAD_INPUT } } });
          }
        },
      };
    },
  };
}
