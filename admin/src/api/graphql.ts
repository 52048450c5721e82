/** A GraphQL error as the gateway sends it: a stable code and a plain message. */
export class GraphQLCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "GraphQLCallError";
  }
}

export interface GraphQLResult<T> {
  data: T | null;
  errors: GraphQLCallError[];
}

const ENDPOINT = "/graphql";

/**
 * POSTs one operation to the gateway as JSON. A JSON POST is what the gateway's CSRF rule lets
 * through without an extra header (a browser cannot send it cross-site without a preflight).
 */
export async function graphql<T>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
  let response: Response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new GraphQLCallError("UNAVAILABLE", "The gateway cannot be reached.");
  }
  let body: { data?: T | null; errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new GraphQLCallError("INTERNAL", `The gateway answered HTTP ${response.status} without JSON.`);
  }
  const errors = (body.errors ?? []).map(
    (error) => new GraphQLCallError(String(error.extensions?.code ?? "INTERNAL"), error.message, error.extensions as Record<string, unknown> | undefined),
  );
  return { data: body.data ?? null, errors };
}

/** The operation's data, or its first error thrown. */
export async function graphqlOk<T>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await graphql<T>(token, query, variables);
  const [first] = result.errors;
  if (first) throw first;
  if (!result.data) throw new GraphQLCallError("INTERNAL", "The gateway answered without data.");
  return result.data;
}
