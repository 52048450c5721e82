import type { GraphQLResponse } from "@brandpool/stack";

/** One HTTP answer, as text too, so a test can search the whole body and not only the fields it expects. */
export interface RawAnswer {
  status: number;
  raw: string;
  /** The error codes of a GraphQL body (of each operation for an array), "?" for an error without one; [] for a body that is not GraphQL. */
  codes: string[];
}

/** POSTs any body (an operation, an array of them, something else) to a URL with a bearer token. */
export async function postRaw(url: string, token: string | null, body: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const raw = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { status: response.status, raw, codes: [] };
  }
  const bodies = (Array.isArray(parsed) ? parsed : [parsed]) as GraphQLResponse<unknown>[];
  const codes = bodies.flatMap((one) => (one?.errors ?? []).map((error) => String(error.extensions?.code ?? "?")));
  return { status: response.status, raw, codes };
}
