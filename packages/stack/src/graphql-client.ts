export interface GraphQLResponse<T> {
  status: number;
  data: T | null;
  errors: { message: string; path?: (string | number)[]; extensions?: { code?: string; details?: unknown } }[];
  raw: string;
}

/** A plain GraphQL-over-HTTP call, as any client would make it. */
export async function graphqlRequest<T = Record<string, unknown>>(
  url: string,
  query: string,
  options: { token?: string; variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
    signal: AbortSignal.timeout(60_000),
  });
  const raw = await response.text();
  let body: { data?: T | null; errors?: GraphQLResponse<T>["errors"] } = {};
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    body = { errors: [{ message: raw }] };
  }
  return { status: response.status, data: body.data ?? null, errors: body.errors ?? [], raw };
}

/** Like graphqlRequest, but any error is thrown (for set-up steps). */
export async function graphqlOk<T = Record<string, unknown>>(url: string, query: string, options: Parameters<typeof graphqlRequest>[2] = {}): Promise<T> {
  const result = await graphqlRequest<T>(url, query, options);
  if (result.errors.length > 0 || !result.data) throw new Error(`GraphQL call failed (${result.status}): ${result.raw.slice(0, 500)}`);
  return result.data;
}
