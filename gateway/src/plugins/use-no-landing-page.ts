import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";

/**
 * No landing page: Apollo Server would otherwise answer a browser's GET of /graphql with a page
 * that loads Apollo's Sandbox from Apollo's servers. The gateway answers GraphQL requests only.
 * No options.
 */
export function useNoLandingPage(): ApolloServerPlugin {
  return ApolloServerPluginLandingPageDisabled();
}
