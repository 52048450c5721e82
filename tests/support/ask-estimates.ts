import type { TestStack } from "./test-stack.js";
import type { AudienceEstimate, Channel } from "./privacy-oracle.js";

/** An estimate with what it cost: the ledger's whole answer. */
export interface LedgerEstimate extends AudienceEstimate {
  epsilonSpent: number;
  budgetRemaining: number;
}

export const LEDGER_ESTIMATE_FIELDS = "count belowThreshold threshold margin95 epsilon period repeated epsilonSpent budgetRemaining";

export interface EstimateFailure {
  path?: (string | number)[];
  extensions?: { code?: string; details?: unknown };
}

/**
 * Asks one owner every expression, 15 to a request (the gateway's alias limit) as aliases q0,
 * q1...; answers and errors in the order of the expressions. Aliases of one request are answered
 * concurrently, so which of them was charged first is not fixed. `pauseMs` between requests keeps
 * a principal under a rate limit.
 */
export async function askEstimates(
  stack: TestStack,
  claims: Parameters<TestStack["ask"]>[0],
  owner: string,
  expressions: readonly string[],
  options: { channel?: Channel | null; pauseMs?: number } = {},
): Promise<{ answers: (LedgerEstimate | null)[]; errors: (EstimateFailure | null)[] }> {
  const answers: (LedgerEstimate | null)[] = [];
  const errors: (EstimateFailure | null)[] = [];
  for (let start = 0; start < expressions.length; start += 15) {
    const chunk = expressions.slice(start, start + 15);
    const fields = chunk.map((_, i) => `q${i}: audienceEstimate(expression: $e${i}, channel: $channel) { ${LEDGER_ESTIMATE_FIELDS} }`);
    const variables: Record<string, unknown> = { owner, channel: options.channel === undefined ? "SMS" : options.channel };
    chunk.forEach((expression, i) => (variables[`e${i}`] = expression));
    const query = `query($owner: ID!, $channel: OutreachChannel, ${chunk.map((_, i) => `$e${i}: String!`).join(", ")}) { brand(id: $owner) { ${fields.join(" ")} } }`;
    const result = await stack.ask<{ brand: Record<string, LedgerEstimate | null> | null }>(claims, query, variables);
    const unplaced = result.errors.filter((error) => !/^q\d+$/.test(String(error.path?.at(-1))));
    if (unplaced.length > 0) throw new Error(`request failed: ${result.raw.slice(0, 300)}`);
    chunk.forEach((_, i) => {
      answers.push(result.data?.brand?.[`q${i}`] ?? null);
      errors.push(result.errors.find((error) => error.path?.at(-1) === `q${i}`) ?? null);
    });
    if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  }
  return { answers, errors };
}
