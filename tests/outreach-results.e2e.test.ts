import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPrivateKey, mintNodeClientToken } from "@brandpool/tokens";
import { graphqlRequest } from "@brandpool/stack";
import { figuresCommitment } from "../subgraphs/brand/dist/privacy/index.js";
import { K, PIESHOP, outreachResultsHelpers } from "./support/outreach-results.js";
import type { Results } from "./support/outreach-results.js";
import { approve } from "./support/outreach-sending.js";
import { forgeSend } from "./support/seed-sent-request.js";
import type { SentRecipients } from "./support/seed-sent-request.js";
import { secretFinder } from "./support/secret-finder.js";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// Issue 8, results: each target's node releases contacted, delivered, failed and redeemed through
// its privacy ledger once when sending ends and then at most daily for redemptions, paid for by
// the reservation its approval charged; the coordinator shows the released figures to the
// requester; the owner sees its exact figures and its recipients. (Redemption:
// coupon-redemption.e2e.test.ts.)

const TEABAR = { brand: "teabar", role: "analyst" } as const;
const TEABAR_APPROVER = { brand: "teabar", role: "approver" } as const;
const DELIVERIES = `query($id: ID!, $first: Int, $after: String) { outreachDeliveries(requestId: $id, first: $first, after: $after) {
  figures { contacted delivered failed redeemed }
  edges { cursor node { status attempts couponCode redeemedAt member { id name phone email } } }
  pageInfo { hasNextPage endCursor } } }`;

describe("outreach results", () => {
  let stack: TestStack;
  let requestId: string;
  let teabarSeed: SentRecipients;
  const responses: string[] = [];
  let helpers: ReturnType<typeof outreachResultsHelpers>;

  beforeAll(async () => {
    stack = await startTestStack({ kThreshold: K, nodeEnv: () => ({ OUTREACH_RESULTS_SECONDS: "1" }) });
    helpers = outreachResultsHelpers(stack, responses);
    requestId = await helpers.createRequest(["teabar", "stylehub"]);
    // Both owners approve for real (each approval reserves the results' budget); these nodes have
    // no channel, so the requests stay APPROVED and the send's end is forged: 300 recipients at
    // teabar, 250 delivered, 40 failed (noisy, likely under k) and 10 ambiguous, exact outcomes
    // the sinks cannot give without provider refusals and a node killed mid-send.
    await approve(stack, "teabar", requestId, 300);
    await approve(stack, "stylehub", requestId, 120);
    teabarSeed = await forgeSend(stack, "teabar", requestId, { sent: 250, failed: 40, ambiguous: 10 });
    // Tampered: stylehub's reservation is removed, as for an approval that reserved nothing; it must release nothing.
    const removed = await stack.sql("stylehub", "DELETE FROM privacy_spend WHERE question_key = $1 RETURNING 1", [`outreach-results:${requestId}`]);
    expect(removed).toHaveLength(1);
    await forgeSend(stack, "stylehub", requestId, { sent: 120, failed: 0, ambiguous: 0 });
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const createRequest = (targets: string[]) => helpers.createRequest(targets);
  const secretOf = (brand: string) => helpers.secretOf(brand);
  const expectedNoisy = (brand: string, id: string, figure: string, release: number, exact: number) => helpers.expectedNoisy(brand, id, figure, release, exact);
  const released = (noisy: number) => helpers.released(noisy);
  const targetsAsRequester = (id: string) => helpers.targetsAsRequester(id);
  const resultsOf = (id: string, brand: string) => helpers.resultsOf(id, brand);
  const releasesAt = (brand: string, id: string) => helpers.releasesAt(brand, id);
  const aDayPasses = (brand: string, id: string) => helpers.aDayPasses(brand, id);
  const budgetsAt = async (brand: string) =>
    (
      await stack.sql<{ quota: string; pool: string; spend: number }>(
        brand,
        `SELECT (SELECT coalesce(sum(epsilon_spent), 0)::text FROM privacy_quota_usage) AS quota,
                (SELECT coalesce(sum(epsilon_spent), 0)::text FROM privacy_pool_usage) AS pool,
                (SELECT count(*)::int FROM privacy_spend) AS spend`,
      )
    )[0];

  it("releases the results once when sending ended, with noise and k on the noisy figures, charging nothing", async () => {
    const before = await budgetsAt("teabar");
    const results = await eventually(async () => (await resultsOf(requestId, "teabar")) ?? undefined, 30_000);
    expect(results).toEqual({
      contacted: released(expectedNoisy("teabar", requestId, "contacted", 1, 300)),
      delivered: released(expectedNoisy("teabar", requestId, "delivered", 1, 250)),
      failed: released(expectedNoisy("teabar", requestId, "failed", 1, 40)),
      redeemed: released(expectedNoisy("teabar", requestId, "redeemed", 1, 0)),
      margin95: 30,
      threshold: K,
      releaseNumber: 1,
      releasedAt: expect.stringMatching(/T\d\d:00:00\.000Z$/),
    });
    // Status times are the hour's, for the requester.
    for (const target of await targetsAsRequester(requestId)) expect(target.statusAt).toMatch(/T\d\d:00:00\.000Z$/);
    // Noise was added: at least one released figure differs from the exact one (the chance of all four equal is far below 1e-4).
    expect([results.contacted, results.delivered, results.failed, results.redeemed]).not.toEqual([300, 250, 40, 0]);
    // The budget was charged at approval (its reservation), never by a release.
    expect(await budgetsAt("teabar")).toEqual(before);
    // Within the day nothing more is released, however often the job runs.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await releasesAt("teabar", requestId)).toEqual([{ release_number: 1, epsilon: "0.4" }]);
  });

  it("releases nothing for a target whose approval reserved no budget, and stops where the reservation ends", async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await releasesAt("stylehub", requestId)).toEqual([]);
    expect(await resultsOf(requestId, "stylehub")).toBeNull();
    // A reservation covering the final release only (4 x 0.1): released once, never updated.
    await stack.sql("stylehub", "INSERT INTO privacy_spend (requester_brand, period, question_key, epsilon) VALUES ('pieshop', 'x', $1, '0.4')", [`outreach-results:${requestId}`]);
    await eventually(async () => (await resultsOf(requestId, "stylehub")) ?? undefined, 30_000);
    await aDayPasses("stylehub", requestId);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await releasesAt("stylehub", requestId)).map((row) => row.release_number)).toEqual([1]);
  });

  it("updates redemptions at most daily, with new noise on redeemed only, at most six times", async () => {
    const first = (await resultsOf(requestId, "teabar")) as Results;
    const redeemed = teabarSeed.recipients.slice(0, 70).map((recipient) => recipient.memberSeq);
    await stack.sql("teabar", "UPDATE outreach_recipients SET redeemed_at = now() WHERE request_id = $1 AND member_seq = ANY($2::int[])", [requestId, redeemed]);
    for (let release = 2; release <= 7; release += 1) {
      await aDayPasses("teabar", requestId);
      const results = await eventually(async () => {
        const current = await resultsOf(requestId, "teabar");
        return current && current.releaseNumber === release ? current : undefined;
      }, 30_000);
      expect(results).toMatchObject({
        contacted: first.contacted,
        delivered: first.delivered,
        failed: first.failed,
        redeemed: released(expectedNoisy("teabar", requestId, "redeemed", release, 70)),
      });
    }
    // Seven releases (0.4 + 6 x 0.1 = the 1.0 reserved) and no eighth, however many days pass.
    await aDayPasses("teabar", requestId);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const releases = await releasesAt("teabar", requestId);
    expect(releases.map((row) => row.release_number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(releases.map((row) => row.epsilon)).toEqual(["0.4", "0.1", "0.1", "0.1", "0.1", "0.1", "0.1"]);
  }, 120_000);

  it("keeps the exact figures and the recipient hash in the owner's log, and only released ones and the commitment at the coordinator", async () => {
    const owner = await stack.sql<{ payload: Record<string, unknown> }>(
      "teabar",
      "SELECT payload FROM audit_events WHERE type = 'outreach.results' AND payload->>'requestId' = $1 AND payload->>'releaseNumber' = '1'",
      [requestId],
    );
    expect(owner).toHaveLength(1);
    const payload = owner[0]?.payload as { exact: Record<string, number>; commitment: string; recipientsHash: string };
    expect(payload.exact).toEqual({ contacted: 300, delivered: 250, failed: 40, redeemed: 0 });
    expect(payload.commitment).toBe(figuresCommitment(secretOf("teabar"), `outreach-results:${requestId}`, "release-1", payload.exact));
    expect(payload.recipientsHash).toMatch(/^[0-9a-f]{64}$/);
    const platform = await eventually(async () => {
      const rows = await stack.sql<{ payload: Record<string, unknown>; subject: Record<string, unknown> }>(
        "coordinator",
        "SELECT payload, subject FROM audit_events WHERE type = 'node.outreach.results' AND payload->>'requestId' = $1 ORDER BY seq",
        [requestId],
      );
      return rows.length >= 7 ? rows : undefined;
    });
    expect(platform[0]?.subject).toEqual({ kind: "brand", brand: "teabar" });
    expect(platform[0]?.payload).toMatchObject({ releaseNumber: 1, commitment: payload.commitment, released: expect.objectContaining({ margin95: 30 }) });
    for (const row of platform) {
      expect(Object.keys(row.payload).sort()).toEqual(["commitment", "nodeEventId", "releaseNumber", "released", "requestId", "requester", "threshold"]);
    }
  });

  it("accepts results only from the target's own node, and only released figures", async () => {
    const onlyTeabar = await createRequest(["teabar"]);
    const push = async (brand: string, payload: Record<string, unknown>) => {
      const key = stack.keys.nodes[brand]?.key;
      if (!key) throw new Error("no key");
      const token = await mintNodeClientToken(await importPrivateKey(key), key.kid ?? "node", brand);
      const answer = await graphqlRequest<{ recordNodeEvents: { outcomes: { status: string; reason: string | null }[] } }>(
        stack.gatewayUrl,
        "mutation($events: [NodeEventInput!]!) { recordNodeEvents(events: $events) { outcomes { status reason } } }",
        { token, variables: { events: [{ id: crypto.randomUUID(), type: "outreach.results", payload }] } },
      );
      expect(answer.errors ?? []).toEqual([]);
      return answer.data?.recordNodeEvents.outcomes[0];
    };
    const forged = {
      requestId: onlyTeabar,
      requester: "pieshop",
      releaseNumber: 1,
      commitment: "0".repeat(64),
      threshold: K,
      released: { contacted: 999, delivered: 999, failed: null, redeemed: 999, margin95: 30 },
    };
    // stylehub is no target of this request: it cannot set teabar's results.
    expect(await push("stylehub", forged)).toEqual({ status: "REFUSED", reason: "OTHER_BRAND" });
    // Exact figures are never accepted at the coordinator, even from the target itself.
    expect(await push("teabar", { ...forged, exact: { contacted: 300 } })).toEqual({ status: "REFUSED", reason: "BAD_PAYLOAD" });
    expect(await push("teabar", { ...forged, requester: "stylehub" })).toEqual({ status: "REFUSED", reason: "BAD_PAYLOAD" });
    expect(await resultsOf(onlyTeabar, "teabar")).toBeNull();
    expect(await stack.sql("coordinator", "SELECT 1 FROM outreach_target_results WHERE request_id = $1", [onlyTeabar])).toEqual([]);
  });

  it("shows the owner its exact figures and its recipients with member detail, and nobody else", async () => {
    const first = await stack.ask<{ outreachDeliveries: { figures: unknown; edges: { cursor: string; node: { member: { name: string }; couponCode: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      TEABAR,
      DELIVERIES,
      { id: requestId, first: 100 },
    );
    expect(first.errors).toEqual([]);
    expect(first.data?.outreachDeliveries.figures).toEqual({ contacted: 300, delivered: 250, failed: 40, redeemed: 70 });
    expect(first.data?.outreachDeliveries.edges).toHaveLength(100);
    expect(first.data?.outreachDeliveries.pageInfo.hasNextPage).toBe(true);
    const codes = new Set(first.data?.outreachDeliveries.edges.map((edge) => edge.node.couponCode));
    let after = first.data?.outreachDeliveries.pageInfo.endCursor;
    for (;;) {
      const page = await stack.ask<{ outreachDeliveries: { edges: { node: { couponCode: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(TEABAR, DELIVERIES, { id: requestId, first: 100, after });
      for (const edge of page.data?.outreachDeliveries.edges ?? []) codes.add(edge.node.couponCode);
      if (!page.data?.outreachDeliveries.pageInfo.hasNextPage) break;
      after = page.data.outreachDeliveries.pageInfo.endCursor;
    }
    expect(codes).toEqual(new Set(teabarSeed.recipients.map((recipient) => recipient.couponCode)));
    // The requester asking the same root field reaches its own node, which holds no such request.
    const requester = await stack.ask(PIESHOP, DELIVERIES, { id: requestId, first: 10 });
    responses.push(JSON.stringify(requester));
    expect(requester.data).toBeNull();
    expect(requester.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    // Within teabar: people who may not list members do not see recipients either.
    const approver = await stack.ask(TEABAR_APPROVER, DELIVERIES, { id: requestId, first: 10 });
    expect(approver.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Bad input: a page too large, a cursor that is not one, an id that is not a request.
    expect((await stack.ask(TEABAR, DELIVERIES, { id: requestId, first: 101 })).errors?.[0]?.extensions?.code).toBe("LIMIT_EXCEEDED");
    expect((await stack.ask(TEABAR, DELIVERIES, { id: requestId, after: "bm9wZQ" })).errors?.[0]?.extensions?.code).toBe("BAD_INPUT");
    expect((await stack.ask(TEABAR, DELIVERIES, { id: "not-a-request" })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("never shows the requester exact figures or member data", async () => {
    const members = await stack.sql<{ name: string; phone: string | null; email: string | null; id: string; external_id: string }>(
      "teabar",
      "SELECT m.name, m.phone, m.email, m.id::text, m.external_id FROM members m JOIN outreach_recipients r ON r.member_seq = m.seq WHERE r.request_id = $1",
      [requestId],
    );
    const secrets = members.flatMap((member) => [member.name, member.phone, member.email, member.id, member.external_id]).filter((value): value is string => !!value);
    const codes = teabarSeed.recipients.map((recipient) => recipient.couponCode);
    const find = secretFinder([...secrets, ...codes, "recipientsHash", "\"exact\""]);
    const platformLog = await stack.sql<{ row: string }>("coordinator", "SELECT row_to_json(a)::text AS row FROM audit_events a");
    // The detector finds what it looks for (a member's row as the owner's own view shows it).
    expect(find(JSON.stringify(members[0]))).not.toEqual([]);
    for (const text of [...responses, ...platformLog.map((row) => row.row)]) expect(find(text)).toEqual([]);
    expect(responses.length).toBeGreaterThan(5);
  });
});
