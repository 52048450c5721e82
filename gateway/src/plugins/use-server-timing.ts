import type { ApolloServerPlugin } from "@apollo/server";
import type { GatewayContext } from "../routing/service-data-source.js";

/**
 * Answers each request with a `Server-Timing` header of where its time went (RequestTiming: jwt,
 * cedar, plan, mint, fetch, total, and the nodes' own stages as `node-<stage>`). Installed only
 * with SERVER_TIMING=1, which config.ts refuses under NODE_ENV=production: the stages' durations
 * say something about the work done for a request (how long a node counted), so production
 * answers carry none. No options.
 */
export function useServerTiming(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const timing = contextValue.timing;
      if (!timing) return;
      return {
        async executionDidStart() {
          timing.executionDidStart();
        },
        async willSendResponse({ response }) {
          response.http.headers.set("server-timing", timing.header());
        },
      };
    },
  };
}
