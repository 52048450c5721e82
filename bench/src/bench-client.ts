import { performance } from "node:perf_hooks";
import { parseServerTiming } from "./figure.js";

export interface TimedAnswer<T> {
  ms: number;
  data: T;
  /** The response's Server-Timing stages (empty when the server sends none). */
  stages: Record<string, number>;
}

/** One GraphQL call over HTTP, timed from the request to the parsed body; throws on any error. */
export async function timedGraphQL<T>(url: string, query: string, options: { token?: string; variables?: Record<string, unknown>; label: string }): Promise<TimedAnswer<T>> {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
    signal: AbortSignal.timeout(60_000),
  });
  const raw = await response.text();
  const ms = performance.now() - started;
  let body: { data?: T | null; errors?: unknown[] } = {};
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    throw new Error(`${options.label}: not JSON (${response.status}): ${raw.slice(0, 300)}`);
  }
  if ((body.errors?.length ?? 0) > 0 || !body.data) throw new Error(`${options.label}: the call failed (${response.status}): ${raw.slice(0, 400)}`);
  return { ms, data: body.data, stages: parseServerTiming(response.headers.get("server-timing")) };
}

/** Ascending copy. */
export const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
