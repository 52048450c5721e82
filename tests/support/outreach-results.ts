import { expect } from "vitest";
// The node's own privacy layer, as built: with the node secret known, a test says exactly which
// noisy figure each release must be.
import { parseEpsilon, releaseCount } from "../../subgraphs/brand/dist/privacy/index.js";
import { eventually } from "./test-stack.js";
import type { TestStack } from "./test-stack.js";

export const PIESHOP = { brand: "pieshop", role: "analyst" } as const;
/** The k of these tests' nodes. */
export const K = 50;
const CREATE = "mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id } }";
const RESULTS = `query($id: ID!) { outreachRequest(id: $id) { id targets { brandId status statusAt
  results { contacted delivered failed redeemed margin95 threshold releaseNumber releasedAt } } } }`;

export type Results = { contacted: number | null; delivered: number | null; failed: number | null; redeemed: number | null; margin95: number; threshold: number; releaseNumber: number; releasedAt: string };
export type Target = { brandId: string; status: string; statusAt: string; results: Results | null };

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** What the results and redemption tests do through the stack; every answer the requester gets is kept in `responses`. */
export function outreachResultsHelpers(stack: TestStack, responses: string[]) {
  const secretOf = (brand: string) => stack.keys.nodes[brand]?.secret as string;
  const targetsAsRequester = async (id: string): Promise<Target[]> => {
    const answer = await stack.ask<{ outreachRequest: { targets: Target[] } }>(PIESHOP, RESULTS, { id });
    responses.push(JSON.stringify(answer));
    expect(answer.errors).toEqual([]);
    return answer.data?.outreachRequest.targets ?? [];
  };
  return {
    secretOf,
    /** pieshop asks `targets` for an SMS campaign; resolves once every target's node holds its copy. */
    async createRequest(targets: string[]): Promise<string> {
      const created = await stack.ask<{ createOutreachRequest: { id: string } }>(PIESHOP, CREATE, {
        input: {
          targetBrandIds: targets,
          expression: "age:25-34",
          channel: "SMS",
          message: "PaiPai: a pie on us with code {{coupon}}",
          purpose: "New-member welcome",
          maxRecipientsPerBrand: 1000,
          expiresAt: inDays(7),
        },
      });
      expect(created.errors).toEqual([]);
      const id = created.data?.createOutreachRequest.id as string;
      for (const brand of targets) {
        await eventually(async () => ((await stack.sql(brand, "SELECT 1 FROM incoming_requests WHERE request_id = $1", [id])).length ? true : undefined));
      }
      return id;
    },
    /** The noisy figure a node must release: the estimates' sampler keyed by request, figure and release. */
    expectedNoisy: (brand: string, id: string, figure: string, release: number, exact: number) =>
      releaseCount({ secret: secretOf(brand), questionKey: `outreach-results:${id}:${figure}`, period: `release-${release}`, exact, epsilon: parseEpsilon("0.1"), threshold: K }).noisy,
    /** k applied to a noisy figure. */
    released: (noisy: number) => (noisy < K ? null : noisy),
    targetsAsRequester,
    resultsOf: async (id: string, brand: string) => (await targetsAsRequester(id)).find((target) => target.brandId === brand)?.results ?? null,
    releasesAt: (brand: string, id: string) =>
      stack.sql<{ release_number: number; epsilon: string }>(brand, "SELECT release_number, epsilon::text FROM outreach_result_releases WHERE request_id = $1 ORDER BY release_number", [id]),
    /** A day passes for the release schedule: only the time of the last release moves. */
    aDayPasses: (brand: string, id: string) =>
      stack.sql(brand, "UPDATE outreach_result_releases SET released_at = released_at - interval '25 hours' WHERE request_id = $1", [id]),
  };
}
