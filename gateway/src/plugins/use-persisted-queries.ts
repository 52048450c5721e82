import { createHash } from "node:crypto";
import { HeaderMap } from "@apollo/server";
import type { ApolloServerPlugin, GraphQLRequestListener } from "@apollo/server";
import { GraphQLError } from "graphql";
import { ERROR_STATUS, FIXED_MESSAGES } from "@brandpool/errors";
import type { GatewayContext } from "../routing/service-data-source.js";
import { PersistedQueryStore, persistedQueryScope } from "./persisted-query-store.js";

const SHA256_HEX = /^[0-9a-f]{64}$/;
// Stands in for the missing text of a refused request, so that Apollo reaches didResolveOperation,
// the first hook whose errors it answers as they are (an error thrown in requestDidStart becomes
// "Internal server error"). Nothing of it runs: the refusal is thrown there.
const PLACEHOLDER = "query PersistedQueryRefused { __typename }";

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_INPUT", http: { status: ERROR_STATUS.BAD_INPUT } } });
}

function notFound(): GraphQLError {
  return new GraphQLError(FIXED_MESSAGES.PERSISTED_QUERY_NOT_FOUND, {
    extensions: {
      code: "PERSISTED_QUERY_NOT_FOUND",
      http: { status: ERROR_STATUS.PERSISTED_QUERY_NOT_FOUND, headers: new HeaderMap([["cache-control", "private, no-cache, must-revalidate"]]) },
    },
  });
}

export interface PersistedQueriesOptions {
  /**
   * Where registered texts are kept, per scope; default a new `PersistedQueryStore` holding at
   * most `DEFAULT_PERSISTED_QUERY_BUDGET` (8,000,000 UTF-16 code units, about 16 MB) of text.
   */
  store?: PersistedQueryStore;
}

/**
 * Apollo's automatic persisted queries, with the store kept per brand (`persistedQueryScope`).
 * Apollo Server's own APQ is switched off (`persistedQueries: false`): its one cache is shared by
 * every caller. A request that carries its query and hash is checked and, once the operation
 * resolved, registered under the caller's scope; a request with the hash alone runs the text
 * registered in that scope, or gets PERSISTED_QUERY_NOT_FOUND (HTTP 200, as the protocol answers)
 * so that the client sends the query again.
 */
export function usePersistedQueries(options: PersistedQueriesOptions = {}): ApolloServerPlugin<GatewayContext> {
  const store = options.store ?? new PersistedQueryStore();
  return {
    async requestDidStart({ request, contextValue }): Promise<GraphQLRequestListener<GatewayContext> | void> {
      const extension = request.extensions?.persistedQuery as unknown;
      if (extension === undefined) return;
      // Apollo's pipeline must not see the extension: it would answer PersistedQueryNotSupported.
      const { persistedQuery: _handled, ...otherExtensions } = request.extensions ?? {};
      request.extensions = otherExtensions;
      const refuse = (error: GraphQLError): GraphQLRequestListener<GatewayContext> => {
        request.query = PLACEHOLDER;
        request.operationName = undefined;
        return {
          async didResolveOperation() {
            throw error;
          },
        };
      };

      const { version, sha256Hash } = (typeof extension === "object" && extension !== null ? extension : {}) as Record<string, unknown>;
      if (version !== 1) return refuse(badInput("Only version 1 of persisted queries is supported."));
      if (typeof sha256Hash !== "string" || !SHA256_HEX.test(sha256Hash)) return refuse(badInput("persistedQuery.sha256Hash must be a SHA-256 hash in lower-case hex."));
      const caller = contextValue.caller;
      if (!caller) return refuse(badInput("Persisted queries need a signed-in caller."));
      const scope = persistedQueryScope(caller.forwarded);

      if (typeof request.query === "string") {
        const text = request.query;
        if (createHash("sha256").update(text).digest("hex") !== sha256Hash) return refuse(badInput("persistedQuery.sha256Hash is not the hash of the query."));
        // Registered only for an operation that parsed, validated and resolved, as Apollo does.
        return {
          async didResolveOperation() {
            store.set(scope, sha256Hash, text);
          },
        };
      }
      const text = store.get(scope, sha256Hash);
      if (text === undefined) return refuse(notFound());
      request.query = text;
    },
  };
}
