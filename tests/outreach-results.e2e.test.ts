import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKeyPair, importPrivateKey, mintCoordinatorClientToken, mintNodeClientToken } from "@brandpool/tokens";
import { graphqlRequest } from "@brandpool/stack";
// The node's own privacy layer, as built: with the node secret known, the test says exactly which
// noisy figure each release must be.
import { figuresCommitment, parseEpsilon, releaseCount } from "../subgraphs/brand/dist/privacy/index.js";
import { newCouponCode } from "@brandpool/outreach-message";
import { seedSentRequest } from "./support/seed-sent-request.js";
import type { SeededRecipients } from "./support/seed-sent-request.js";
import { secretFinder } from "./support/secret-finder.js";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// Issue 8, results: each target's node releases contacted, delivered, failed and redeemed through
// its privacy ledger once when sending ends and then at most daily for redemptions, paid for by
// the reservation its approval charged; the coordinator shows the released figures to the
// requester; the owner sees its exact figures and its recipients.

const PIESHOP = { brand: "pieshop", role: "analyst" } as const;
const TEABAR = { brand: "teabar", role: "analyst" } as const;
const TEABAR_APPROVER = { brand: "teabar", role: "approver" } as const;
const K = 50;
const CREATE = "mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id } }";
const RESULTS = `query($id: ID!) { outreachRequest(id: $id) { id targets { brandId status statusAt
  results { contacted delivered failed redeemed margin95 threshold releaseNumber releasedAt } } } }`;
const REDEEM = "mutation($id: ID!, $code: String!) { redeemCoupon(requestId: $id, code: $code) { valid reason } }";
const PROBE = `query($id: ID!, $code: String!) { brand(id: "teabar") { redeemIssuedCoupon(requestId: $id, code: $code, requesterBrandId: "pieshop") { outcome } } }`;
const DELIVERIES = `query($id: ID!, $first: Int, $after: String) { outreachDeliveries(requestId: $id, first: $first, after: $after) {
  figures { contacted delivered failed redeemed }
  edges { cursor node { status attempts couponCode redeemedAt member { id name phone email } } }
  pageInfo { hasNextPage endCursor } } }`;

type Results = { contacted: number | null; delivered: number | null; failed: number | null; redeemed: number | null; margin95: number; threshold: number; releaseNumber: number; releasedAt: string };
type Target = { brandId: string; status: string; statusAt: string; results: Results | null };

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe("outreach results", () => {
  let stack: TestStack;
  let requestId: string;
  let teabarSeed: SeededRecipients;
  const responses: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ kThreshold: K, nodeEnv: { OUTREACH_RESULTS_SECONDS: "1" } });
    requestId = await createRequest(["teabar", "stylehub"]);
    // 300 recipients at teabar: 250 delivered, 40 failed (noisy, likely under k), 10 ambiguous.
    teabarSeed = await seedSentRequest(stack, "teabar", requestId, { sent: 250, failed: 40, ambiguous: 10, reservation: "1.0" });
    // stylehub's approval charged no reservation: it must release nothing.
    await seedSentRequest(stack, "stylehub", requestId, { sent: 120, failed: 0, ambiguous: 0, reservation: null });
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  });

  async function createRequest(targets: string[]): Promise<string> {
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
  }

  const secretOf = (brand: string) => stack.keys.nodes[brand]?.secret as string;
  const expectedNoisy = (brand: string, id: string, figure: string, release: number, exact: number) =>
    releaseCount({ secret: secretOf(brand), questionKey: `outreach-results:${id}:${figure}`, period: `release-${release}`, exact, epsilon: parseEpsilon("0.1"), threshold: K }).noisy;
  const released = (noisy: number) => (noisy < K ? null : noisy);

  async function targetsAsRequester(id: string): Promise<Target[]> {
    const answer = await stack.ask<{ outreachRequest: { targets: Target[] } }>(PIESHOP, RESULTS, { id });
    responses.push(JSON.stringify(answer));
    expect(answer.errors).toEqual([]);
    return answer.data?.outreachRequest.targets ?? [];
  }
  const resultsOf = async (id: string, brand: string) => (await targetsAsRequester(id)).find((target) => target.brandId === brand)?.results ?? null;
  const releasesAt = (brand: string, id: string) =>
    stack.sql<{ release_number: number; epsilon: string }>(brand, "SELECT release_number, epsilon::text FROM outreach_result_releases WHERE request_id = $1 ORDER BY release_number", [id]);
  const budgetsAt = async (brand: string) =>
    (
      await stack.sql<{ quota: string; pool: string; spend: number }>(
        brand,
        `SELECT (SELECT coalesce(sum(epsilon_spent), 0)::text FROM privacy_quota_usage) AS quota,
                (SELECT coalesce(sum(epsilon_spent), 0)::text FROM privacy_pool_usage) AS pool,
                (SELECT count(*)::int FROM privacy_spend) AS spend`,
      )
    )[0];
  // A day passes for the release schedule: only the time of the last release moves.
  const aDayPasses = (brand: string, id: string) =>
    stack.sql(brand, "UPDATE outreach_result_releases SET released_at = released_at - interval '25 hours' WHERE request_id = $1", [id]);

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
    // The budget was charged at approval (the seeded reservation), never by a release.
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

  describe("coupon redemption", () => {
    let redeemId: string;
    let teabarCodes: string[];
    let stylehubCodes: string[];
    const redemptions: string[] = [];
    const redeem = async (claims: { brand: string; role: "analyst" | "approver" | "admin"; subject?: string }, id: string, code: string) => {
      const answer = await stack.ask<{ redeemCoupon: { valid: boolean; reason: string | null } }>(claims, REDEEM, { id, code });
      redemptions.push(JSON.stringify(answer));
      responses.push(JSON.stringify(answer));
      return answer;
    };
    const redeemedAt = (brand: string, id: string) =>
      stack.sql<{ coupon_code: string }>(brand, "SELECT coupon_code FROM outreach_recipients WHERE request_id = $1 AND redeemed_at IS NOT NULL ORDER BY coupon_code", [id]);
    const refusals = (subject: string) =>
      stack.sql<{ reason: string }>(
        "coordinator",
        "SELECT payload->>'reason' AS reason FROM audit_events WHERE type = 'outreach.coupon_refused' AND actor->>'subject' = $1 ORDER BY seq",
        [subject],
      );

    beforeAll(async () => {
      redeemId = await createRequest(["teabar", "stylehub"]);
      teabarCodes = (await seedSentRequest(stack, "teabar", redeemId, { sent: 60, failed: 0, ambiguous: 0, reservation: "1.0" })).recipients.map((r) => r.couponCode);
      stylehubCodes = (await seedSentRequest(stack, "stylehub", redeemId, { sent: 60, failed: 0, ambiguous: 0, reservation: "1.0" })).recipients.map((r) => r.couponCode);
    }, 60_000);

    it("counts a valid code once, at the node that issued it, and refuses its second use", async () => {
      const code = teabarCodes[0] as string;
      expect((await redeem({ ...PIESHOP, subject: "pieshop-till-1" }, redeemId, code)).data).toEqual({ redeemCoupon: { valid: true, reason: null } });
      expect(await redeemedAt("teabar", redeemId)).toEqual([{ coupon_code: code }]);
      expect(await redeemedAt("stylehub", redeemId)).toEqual([]);
      // As a customer may type it: lower case, grouped with a hyphen. The same code, already counted.
      const typed = `${code.slice(0, 6)}-${code.slice(6)}`.toLowerCase().replace(/0/g, "o");
      expect((await redeem({ ...PIESHOP, subject: "pieshop-till-1" }, redeemId, typed)).data).toEqual({ redeemCoupon: { valid: false, reason: "ALREADY_REDEEMED" } });
      expect(await redeemedAt("teabar", redeemId)).toEqual([{ coupon_code: code }]);
      // A code of the other target is counted there, and the answer looks the same.
      expect((await redeem({ ...PIESHOP, subject: "pieshop-till-1" }, redeemId, stylehubCodes[0] as string)).data).toEqual({ redeemCoupon: { valid: true, reason: null } });
      expect(await redeemedAt("stylehub", redeemId)).toEqual([{ coupon_code: stylehubCodes[0] }]);
      // The owner's log records each redemption it counted; the coordinator's records it without the issuer.
      const owner = await stack.sql("teabar", "SELECT 1 FROM audit_events WHERE type = 'outreach.coupon_redeemed' AND payload->>'requestId' = $1", [redeemId]);
      expect(owner).toHaveLength(1);
    });

    it("counts concurrent redemptions of one code once", async () => {
      const code = teabarCodes[1] as string;
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => redeem({ ...PIESHOP, subject: `pieshop-till-c${i}` }, redeemId, code)));
      expect(answers.map((answer) => answer.errors ?? [])).toEqual(answers.map(() => []));
      expect(answers.filter((answer) => answer.data?.redeemCoupon.valid)).toHaveLength(1);
      expect(answers.filter((answer) => answer.data?.redeemCoupon.reason === "ALREADY_REDEEMED")).toHaveLength(5);
      expect((await redeemedAt("teabar", redeemId)).map((row) => row.coupon_code)).toContain(code);
      expect(await redeemedAt("teabar", redeemId)).toHaveLength(2);
    });

    it("refuses an invented code, another request's code and malformed input, changing nothing", async () => {
      const before = [await redeemedAt("teabar", redeemId), await redeemedAt("stylehub", redeemId), await redeemedAt("teabar", requestId)];
      const till = { ...PIESHOP, subject: "pieshop-till-2" };
      expect((await redeem(till, redeemId, newCouponCode())).data).toEqual({ redeemCoupon: { valid: false, reason: "UNKNOWN" } });
      // Issued by teabar, but for the first request: not a code of this one.
      expect((await redeem(till, redeemId, teabarSeed.recipients[200]?.couponCode as string)).data).toEqual({ redeemCoupon: { valid: false, reason: "UNKNOWN" } });
      // Malformed: too short, too long, a letter outside Crockford's alphabet (U), empty, SQL.
      for (const code of ["ABC", `${teabarCodes[2]}7`, "0123456789ABU", "", "' OR 1=1 --"]) {
        const answer = await redeem(till, redeemId, code);
        expect(answer.data).toBeNull();
        expect(answer.errors?.[0]?.extensions).toMatchObject({ code: "BAD_INPUT", details: { fields: [{ field: "code", reason: "MALFORMED_CODE" }] } });
      }
      expect([await redeemedAt("teabar", redeemId), await redeemedAt("stylehub", redeemId), await redeemedAt("teabar", requestId)]).toEqual(before);
      // Every one of them is in the coordinator's log, with its reason.
      expect((await refusals("pieshop-till-2")).map((row) => row.reason)).toEqual(["UNKNOWN", "UNKNOWN", ...Array(5).fill("MALFORMED_CODE")]);
    });

    it("refuses a code redeemed by a brand that did not make the request, and anyone probing a node directly", async () => {
      const code = teabarCodes[3] as string;
      for (const brand of ["teabar", "stylehub"]) {
        const answer = await redeem({ brand, role: "analyst", subject: `${brand}-till` }, redeemId, code);
        expect(answer.data).toBeNull();
        expect(answer.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      }
      // A request the caller's brand has nothing to do with is not even admitted to exist.
      const strangers = await stack.ask<{ createOutreachRequest: { id: string } }>({ brand: "stylehub", role: "analyst" }, CREATE, {
        input: { targetBrandIds: ["teabar"], expression: "age:25-34", channel: "SMS", message: "StyleHub: {{coupon}}", purpose: "Welcome", expiresAt: inDays(7) },
      });
      const answer = await redeem({ ...PIESHOP, subject: "pieshop-till-3" }, strangers.data?.createOutreachRequest.id as string, code);
      expect(answer.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      // Staff who may not record coupons.
      expect((await redeem({ brand: "pieshop", role: "approver" }, redeemId, code)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      // The node's own question is the coordinator's alone: not a requester's analyst, not a node.
      const probe = await stack.ask(PIESHOP, PROBE, { id: redeemId, code });
      responses.push(JSON.stringify(probe));
      expect(probe.data?.brand).toEqual({ redeemIssuedCoupon: null });
      expect(probe.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const key = stack.keys.nodes.pieshop?.key;
      if (!key) throw new Error("no key");
      const nodeProbe = await graphqlRequest(stack.gatewayUrl, PROBE, { token: await mintNodeClientToken(await importPrivateKey(key), key.kid ?? "node", "pieshop"), variables: { id: redeemId, code } });
      expect(nodeProbe.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect((await redeemedAt("teabar", redeemId)).map((row) => row.coupon_code)).not.toContain(code);
      expect((await refusals("teabar-till")).map((row) => row.reason)).toEqual(["NOT_REQUESTER"]);
    });

    it("gives the coordinator's own identity nothing but the node's coupon question", async () => {
      const key = stack.keys.coordinator.clientKey;
      const token = await mintCoordinatorClientToken(await importPrivateKey(key), key.kid ?? "coordinator");
      const code = teabarCodes[5] as string;
      for (const [query, variables] of [
        ["{ members(first: 1) { edges { node { name } } } }", {}],
        [REDEEM, { id: redeemId, code }],
        [RESULTS, { id: redeemId }],
        ['{ brand(id: "teabar") { audienceEstimate(expression: "age:25-34") { count } } }', {}],
      ] as const) {
        const answer = await graphqlRequest<Record<string, unknown>>(stack.gatewayUrl, query, { token: await mintCoordinatorClientToken(await importPrivateKey(key), key.kid ?? "coordinator"), variables });
        responses.push(JSON.stringify(answer));
        expect(answer.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      }
      // The same question as the coordinator asks, with a key the gateway does not hold for it: 401.
      const stranger = await generateSigningKeyPair();
      const forged = await mintCoordinatorClientToken(await importPrivateKey(stranger.privateJwk), key.kid ?? "coordinator");
      const refused = await graphqlRequest(stack.gatewayUrl, PROBE, { token: forged, variables: { id: redeemId, code } });
      expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(await redeemedAt("teabar", redeemId)).not.toContainEqual({ coupon_code: code });
      // With its real key it is answered (and counts the code): the path redeemCoupon takes.
      const asked = await graphqlRequest<{ brand: { redeemIssuedCoupon: { outcome: string } } }>(stack.gatewayUrl, PROBE, { token, variables: { id: redeemId, code } });
      expect(asked.data?.brand.redeemIssuedCoupon.outcome).toBe("VALID");
    });

    it("limits attempts per principal", async () => {
      const till = { ...PIESHOP, subject: "pieshop-till-flood" };
      const answers = [];
      for (let i = 0; i < 31; i += 1) answers.push(await redeem(till, redeemId, "TOO-SHORT"));
      expect(answers.slice(0, 30).map((answer) => answer.errors?.[0]?.extensions?.code)).toEqual(Array(30).fill("BAD_INPUT"));
      expect(answers[30]?.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
      // Refused attempts within the rate are audited; those over it are not (the log stays bounded).
      expect(await refusals("pieshop-till-flood")).toHaveLength(30);
      // Another principal of the same brand is not held back.
      expect((await redeem({ ...PIESHOP, subject: "pieshop-till-4" }, redeemId, teabarCodes[4] as string)).data).toEqual({ redeemCoupon: { valid: true, reason: null } });
    });

    it("counts a code while another target's node is down, and says UNAVAILABLE rather than UNKNOWN when the down one may have issued it", async () => {
      await stack.nodes.get("stylehub")?.stop();
      try {
        const till = { ...PIESHOP, subject: "pieshop-till-5" };
        expect((await redeem(till, redeemId, teabarCodes[6] as string)).data).toEqual({ redeemCoupon: { valid: true, reason: null } });
        const invented = await redeem(till, redeemId, newCouponCode());
        expect(invented.data).toBeNull();
        expect(invented.errors?.[0]?.extensions?.code).toBe("UNAVAILABLE");
        expect((await refusals("pieshop-till-5")).map((row) => row.reason)).toEqual(["UNANSWERED"]);
      } finally {
        await stack.restartNode("stylehub");
      }
    }, 60_000);

    it("never names the issuing brand, in answers, errors or the coordinator's log of redemptions", async () => {
      const names = ["teabar", "stylehub", "Leaf Tea Bar", "一叶茶吧", "StyleHub", "风尚汇"];
      for (const text of redemptions) for (const name of names) expect(text).not.toContain(name);
      const logged = await stack.sql<{ row: string }>("coordinator", "SELECT row_to_json(a)::text AS row FROM audit_events a WHERE type LIKE 'outreach.coupon_%' AND actor->>'brand' = 'pieshop'");
      expect(logged.length).toBeGreaterThan(40);
      for (const { row } of logged) for (const name of names) expect(row).not.toContain(name);
    });

    it("feeds the next daily results update with the redemptions counted", async () => {
      await eventually(async () => ((await resultsOf(redeemId, "teabar"))?.releaseNumber === 1 ? true : undefined), 30_000);
      await aDayPasses("teabar", redeemId);
      const results = await eventually(async () => {
        const current = await resultsOf(redeemId, "teabar");
        return current?.releaseNumber === 2 ? current : undefined;
      }, 30_000);
      // Five of teabar's codes were counted (the first, the concurrent one, the coordinator's own question, two more).
      expect(results.redeemed).toBe(released(expectedNoisy("teabar", redeemId, "redeemed", 2, 5)));
      const [owner] = await stack.sql<{ exact: { redeemed: number } }>(
        "teabar",
        "SELECT payload->'exact' AS exact FROM audit_events WHERE type = 'outreach.results' AND payload->>'requestId' = $1 AND payload->>'releaseNumber' = '2'",
        [redeemId],
      );
      expect(owner?.exact.redeemed).toBe(5);
    });
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
