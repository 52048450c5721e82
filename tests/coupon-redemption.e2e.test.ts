import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmsSink } from "@brandpool/sinks";
import type { SmsSink } from "@brandpool/sinks";
import { generateSigningKeyPair, importPrivateKey, mintCoordinatorClientToken, mintNodeClientToken } from "@brandpool/tokens";
import { graphqlRequest } from "@brandpool/stack";
import { newCouponCode } from "@brandpool/outreach-message";
import { K, PIESHOP, inDays, outreachResultsHelpers } from "./support/outreach-results.js";
import { secretFinder } from "./support/secret-finder.js";
import { approveAndSend } from "./support/seed-sent-request.js";
import type { SentRecipients } from "./support/seed-sent-request.js";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// Issue 8, redemption: the requester records a code a customer used, for its own request only;
// the coordinator asks the request's targets through the gateway (as principal `coordinator`);
// the issuing node counts it once. The answer never names the issuer; attempts are rate-limited
// per principal and refusals audited.

const CREATE = "mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id } }";
const RESULTS = `query($id: ID!) { outreachRequest(id: $id) { id targets { brandId results { redeemed } } } }`;
const REDEEM = "mutation($id: ID!, $code: String!) { redeemCoupon(requestId: $id, code: $code) { valid reason } }";
const PROBE = `query($id: ID!, $code: String!) { brand(id: "teabar") { redeemIssuedCoupon(requestId: $id, code: $code, requesterBrandId: "pieshop") { outcome } } }`;

describe("coupon redemption", () => {
  let stack: TestStack;
  let helpers: ReturnType<typeof outreachResultsHelpers>;
  /** A first request, only teabar's codes: "another request's code". */
  let requestId: string;
  let teabarSeed: SentRecipients;
  let sms: SmsSink;
  let sinkDir: string;
  const responses: string[] = [];

  beforeAll(async () => {
    sinkDir = await mkdtemp(join(tmpdir(), "brandpool-redeem-"));
    sms = await startSmsSink({ dir: sinkDir });
    // The targets send for real, through the SMS sink, at any hour.
    stack = await startTestStack({
      kThreshold: K,
      nodeEnv: () => ({ OUTREACH_RESULTS_SECONDS: "1", SMS_WEBHOOK_URL: sms.url, SEND_POLL_SECONDS: "1", QUIET_HOURS: "none" }),
    });
    helpers = outreachResultsHelpers(stack, responses);
    requestId = await helpers.createRequest(["teabar"]);
    teabarSeed = await approveAndSend(stack, "teabar", requestId, 250);
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
    await sms?.close();
    if (sinkDir) await rm(sinkDir, { recursive: true, force: true });
  });

  const createRequest = (targets: string[]) => helpers.createRequest(targets);
  const expectedNoisy = (brand: string, id: string, figure: string, release: number, exact: number) => helpers.expectedNoisy(brand, id, figure, release, exact);
  const released = (noisy: number) => helpers.released(noisy);
  const resultsOf = (id: string, brand: string) => helpers.resultsOf(id, brand);
  const aDayPasses = (brand: string, id: string) => helpers.aDayPasses(brand, id);

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
    const [teabar, stylehub] = await Promise.all([approveAndSend(stack, "teabar", redeemId, 60), approveAndSend(stack, "stylehub", redeemId, 60)]);
    teabarCodes = teabar.recipients.map((r) => r.couponCode);
    stylehubCodes = stylehub.recipients.map((r) => r.couponCode);
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

  it("never names the issuing brand nor a member, in answers, errors or the coordinator's log of redemptions", async () => {
    const names = ["teabar", "stylehub", "Leaf Tea Bar", "一叶茶吧", "StyleHub", "风尚汇"];
    for (const text of redemptions) for (const name of names) expect(text).not.toContain(name);
    const logged = await stack.sql<{ row: string }>("coordinator", "SELECT row_to_json(a)::text AS row FROM audit_events a WHERE type LIKE 'outreach.coupon_%' AND actor->>'brand' = 'pieshop'");
    expect(logged.length).toBeGreaterThan(40);
    for (const { row } of logged) for (const name of names) expect(row).not.toContain(name);
    const members = await stack.sql<{ name: string; phone: string | null; email: string | null; id: string }>(
      "teabar",
      "SELECT m.name, m.phone, m.email, m.id::text FROM members m JOIN outreach_recipients r ON r.member_seq = m.seq WHERE r.request_id = $1",
      [redeemId],
    );
    const find = secretFinder(members.flatMap((member) => [member.name, member.phone, member.email, member.id]).filter((value): value is string => !!value));
    expect(find(JSON.stringify(members[0]))).not.toEqual([]);
    for (const text of [...responses, ...logged.map((row) => row.row)]) expect(find(text)).toEqual([]);
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
