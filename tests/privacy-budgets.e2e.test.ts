import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TAXONOMY } from "@brandpool/demo-data";
import { graphqlRequest } from "@brandpool/stack";
import { importPrivateKey, mintForwardedToken, serviceAudience } from "@brandpool/tokens";
import type { ForwardedCaller } from "@brandpool/tokens";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import { currentPeriod } from "./support/privacy-oracle.js";
import { askEstimates } from "./support/ask-estimates.js";
import type { LedgerEstimate } from "./support/ask-estimates.js";

// DESIGN.md invariant 2's budgets: each new question costs epsilon 0.1 from the requester brand's
// monthly quota at the owner (10) and from the owner's pool-wide cap (50); exhausted is
// BUDGET_EXHAUSTED with the date it refills; owners change quotas within the ceilings, audited.

const PIESHOP_ANALYST = { brand: "pieshop", role: "analyst" } as const;
const STYLEHUB_ANALYST = { brand: "stylehub", role: "analyst" } as const;
const TEABAR_ADMIN = { brand: "teabar", role: "admin" } as const;
const PIESHOP_ADMIN = { brand: "pieshop", role: "admin" } as const;

const ESTIMATE = `query($owner: ID!, $expression: String!) { brand(id: $owner) {
  audienceEstimate(expression: $expression, channel: SMS) { count repeated epsilonSpent budgetRemaining } } }`;


/** Distinct questions by meaning: pairs of tags from two different multi-valued or single-valued dimensions. */
function distinctQuestions(count: number, offset = 0): string[] {
  const interests = TAXONOMY.filter((tag) => tag.dimension === "interest");
  const others = TAXONOMY.filter((tag) => tag.dimension !== "interest" && !tag.sensitive);
  const out: string[] = [];
  for (const a of others) for (const b of interests) out.push(`${a.key} and ${b.key}`);
  if (out.length < offset + count) throw new Error("not enough distinct questions");
  return out.slice(offset, offset + count);
}

/** The next month's first midnight in Shanghai, as the ledger states it. */
function nextRefill(): string {
  const [year, month] = currentPeriod().split("-").map(Number) as [number, number];
  return new Date(Date.UTC(month === 12 ? year + 1 : year, month === 12 ? 0 : month, 1) - 8 * 3_600_000).toISOString();
}

describe("privacy budgets", () => {
  let stack: TestStack;
  beforeAll(async () => {
    // The node's own default rate per principal (10 estimate operations a second) is under test
    // here, and a brand rate of 60 (the default 30 would also stop the 50 concurrent analysts below).
    stack = await startTestStack({ estimateRateLimit: null, estimateBrandRateLimit: 60 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  // Paced to stay under the default rate of 10 operations a second per principal.
  const estimateMany = (claims: Parameters<TestStack["ask"]>[0], owner: string, expressions: readonly string[]) =>
    askEstimates(stack, claims, owner, expressions, { pauseMs: 120 });

  const spend = async (owner: string) => {
    const rows = await stack.sql<{ requester_brand: string; spent: string }>(
      owner,
      "SELECT requester_brand, epsilon_spent::text AS spent FROM privacy_quota_usage WHERE period = $1 ORDER BY requester_brand",
      [currentPeriod()],
    );
    const [pool] = await stack.sql<{ spent: string }>(owner, "SELECT epsilon_spent::text AS spent FROM privacy_pool_usage WHERE period = $1", [currentPeriod()]);
    return { quotas: Object.fromEntries(rows.map((row) => [row.requester_brand, row.spent])), pool: pool?.spent ?? "0" };
  };

  it("runs a requester's quota out after exactly 100 new questions, then still serves its stored answers free", async () => {
    const questions = distinctQuestions(101);
    const { answers, errors } = await estimateMany(PIESHOP_ANALYST, "stylehub", questions.slice(0, 100));
    expect(errors.filter(Boolean)).toEqual([]);
    expect(answers.every((answer) => answer?.epsilonSpent === 0.1 && answer.repeated === false)).toBe(true);
    // The aliases of one request are answered concurrently: the last charged, whichever it was, left 0.
    expect(Math.min(...answers.map((answer) => answer?.budgetRemaining ?? Number.NaN))).toBe(0);

    const receiptsBefore = await stack.sql("stylehub", "SELECT count(*)::int AS n FROM privacy_spend");
    const refused = await estimateMany(PIESHOP_ANALYST, "stylehub", [questions[100] as string]);
    expect(refused.answers).toEqual([null]);
    expect(refused.errors[0]?.extensions).toEqual({ code: "BUDGET_EXHAUSTED", details: { refillsAt: nextRefill() } });
    // Nothing was stored or charged for the refused question.
    expect(await stack.sql("stylehub", "SELECT count(*)::int AS n FROM privacy_spend")).toEqual(receiptsBefore);
    expect((await spend("stylehub")).quotas.pieshop).toBe("10.0");

    const again = await estimateMany(PIESHOP_ANALYST, "stylehub", [questions[0] as string, questions[99] as string]);
    expect(again.errors.filter(Boolean)).toEqual([]);
    expect(again.answers.map((answer) => [answer?.repeated, answer?.epsilonSpent, answer?.budgetRemaining])).toEqual([
      [true, 0, 0],
      [true, 0, 0],
    ]);
    // Another requester at the same owner has its own quota.
    const other = await estimateMany(TEABAR_ADMIN, "stylehub", [questions[100] as string]);
    expect(other.answers[0]).toMatchObject({ epsilonSpent: 0.1, budgetRemaining: 9.9 });
  });

  it("counts two brands' spends apart and both toward the owner's pool-wide cap, which stops every new answer when spent", async () => {
    const before = await spend("teabar");
    // Teabar's admin leaves room for five more questions pool-wide.
    const cap = Number(before.pool) + 0.5;
    const set = await stack.ask<{ setPoolBudget: { epsilonTotal: number; epsilonSpent: number } }>(TEABAR_ADMIN, "mutation($e: Float!) { setPoolBudget(epsilonTotal: $e) { epsilonTotal epsilonSpent } }", { e: cap });
    expect(set.errors).toEqual([]);
    expect(set.data?.setPoolBudget.epsilonTotal).toBeCloseTo(cap, 9);

    const pieshopQuestions = distinctQuestions(3, 200);
    const stylehubQuestions = distinctQuestions(2, 210);
    expect((await estimateMany(PIESHOP_ANALYST, "teabar", pieshopQuestions)).errors.filter(Boolean)).toEqual([]);
    expect((await estimateMany(STYLEHUB_ANALYST, "teabar", stylehubQuestions)).errors.filter(Boolean)).toEqual([]);
    const after = await spend("teabar");
    expect(Number(after.quotas.pieshop ?? 0) - Number(before.quotas.pieshop ?? 0)).toBeCloseTo(0.3, 9);
    expect(Number(after.quotas.stylehub ?? 0) - Number(before.quotas.stylehub ?? 0)).toBeCloseTo(0.2, 9);
    expect(Number(after.pool)).toBeCloseTo(cap, 9);

    const newQuestion = await estimateMany(PIESHOP_ANALYST, "teabar", distinctQuestions(1, 220));
    expect(newQuestion.errors[0]?.extensions?.code).toBe("BUDGET_EXHAUSTED");
    // An answer stylehub already has costs teabar nothing more, but handing it to pieshop now would
    // tell pieshop that someone asked it: refused alike.
    const othersAnswer = await estimateMany(PIESHOP_ANALYST, "teabar", [stylehubQuestions[0] as string]);
    expect(othersAnswer.errors[0]?.extensions?.code).toBe("BUDGET_EXHAUSTED");
    const ownRepeat = await estimateMany(PIESHOP_ANALYST, "teabar", [pieshopQuestions[0] as string]);
    expect(ownRepeat.answers[0]).toMatchObject({ repeated: true, epsilonSpent: 0 });
    expect(await spend("teabar")).toEqual(after);
  });

  it("never overspends under 50 concurrent new questions", async () => {
    const setQuota = await stack.ask(PIESHOP_ADMIN, 'mutation { setPrivacyBudget(requesterBrandId: "stylehub", epsilonTotal: 2) { epsilonTotal } }');
    expect(setQuota.errors).toEqual([]);
    const questions = distinctQuestions(50, 300);
    // 50 different stylehub analysts, each under its own rate, at the same moment.
    const results = await Promise.all(
      questions.map((expression, i) => stack.ask<{ brand: { audienceEstimate: LedgerEstimate | null } | null }>({ ...STYLEHUB_ANALYST, subject: `analyst-${i}@stylehub` }, ESTIMATE, { owner: "pieshop", expression })),
    );
    const answered = results.filter((result) => result.data?.brand?.audienceEstimate);
    const exhausted = results.filter((result) => result.errors[0]?.extensions?.code === "BUDGET_EXHAUSTED");
    expect(answered).toHaveLength(20);
    expect(exhausted).toHaveLength(30);
    expect((await spend("pieshop")).quotas.stylehub).toBe("2.0");
    expect(await stack.sql("pieshop", "SELECT count(*)::int AS n FROM privacy_spend WHERE requester_brand = 'stylehub'")).toEqual([{ n: 20 }]);
  });

  it("shows a partner its own quota at an owner, and the owner every partner's and its pool cap", async () => {
    const mine = await stack.ask<{ owner: { privacyBudget: Record<string, unknown> } }>(
      STYLEHUB_ANALYST,
      '{ owner: brand(id: "pieshop") { privacyBudget { epsilonPerQuestion epsilonTotal epsilonSpent epsilonRemaining periodEnd } } }',
    );
    expect(mine.errors).toEqual([]);
    // epsilonPerQuestion: what the next new question would cost, the node's EPSILON (as charged above).
    expect(mine.data?.owner.privacyBudget).toEqual({ epsilonPerQuestion: 0.1, epsilonTotal: 2, epsilonSpent: 2, epsilonRemaining: 0, periodEnd: nextRefill() });

    const owners = await stack.ask<{ privacyBudgets: Record<string, unknown>[]; poolBudget: Record<string, unknown> }>(
      PIESHOP_ADMIN,
      "{ privacyBudgets { requesterBrandId epsilonTotal epsilonSpent epsilonRemaining } poolBudget { epsilonTotal epsilonSpent periodEnd } }",
    );
    expect(owners.errors).toEqual([]);
    expect(owners.data?.privacyBudgets).toEqual([
      { requesterBrandId: "stylehub", epsilonTotal: 2, epsilonSpent: 2, epsilonRemaining: 0 },
      { requesterBrandId: "teabar", epsilonTotal: 10, epsilonSpent: 0, epsilonRemaining: 10 },
    ]);
    expect(owners.data?.poolBudget).toEqual({ epsilonTotal: 50, epsilonSpent: 2, periodEnd: nextRefill() });
  });

  it("refuses budget changes out of bounds or by anyone but the owner's admin, changing nothing", async () => {
    const settings = () => stack.sql("pieshop", "SELECT requester_brand, epsilon_total::text FROM privacy_quotas UNION ALL SELECT 'pool', epsilon_total::text FROM privacy_pool_cap ORDER BY 1");
    const auditCount = () => stack.sql("pieshop", "SELECT count(*)::int AS n FROM audit_events WHERE type = 'privacy.budget-changed'");
    const before = { settings: await settings(), audit: await auditCount() };
    const tries: { claims: Parameters<TestStack["ask"]>[0]; query: string; code: string }[] = [
      // Above the platform ceiling of 20 for one partner, and above the default cap of 50.
      { claims: PIESHOP_ADMIN, query: 'mutation { setPrivacyBudget(requesterBrandId: "teabar", epsilonTotal: 20.5) { epsilonTotal } }', code: "BAD_INPUT" },
      { claims: PIESHOP_ADMIN, query: "mutation { setPoolBudget(epsilonTotal: 51) { epsilonTotal } }", code: "BAD_INPUT" },
      { claims: PIESHOP_ADMIN, query: 'mutation { setPrivacyBudget(requesterBrandId: "teabar", epsilonTotal: -1) { epsilonTotal } }', code: "BAD_INPUT" },
      { claims: PIESHOP_ADMIN, query: 'mutation { setPrivacyBudget(requesterBrandId: "teabar", epsilonTotal: 0.0000001) { epsilonTotal } }', code: "BAD_INPUT" },
      { claims: PIESHOP_ADMIN, query: 'mutation { setPrivacyBudget(requesterBrandId: "pieshop", epsilonTotal: 5) { epsilonTotal } }', code: "BAD_INPUT" },
      { claims: PIESHOP_ADMIN, query: 'mutation { setPrivacyBudget(requesterBrandId: "nosuchbrand", epsilonTotal: 5) { epsilonTotal } }', code: "NOT_FOUND" },
      // An analyst reads budgets but does not change them; another brand's admin neither.
      { claims: PIESHOP_ANALYST, query: 'mutation { setPrivacyBudget(requesterBrandId: "teabar", epsilonTotal: 5) { epsilonTotal } }', code: "FORBIDDEN" },
      { claims: { brand: "pieshop", role: "approver" }, query: "{ privacyBudgets { requesterBrandId } }", code: "FORBIDDEN" },
      { claims: { role: "platform-admin" }, query: "mutation { setPoolBudget(epsilonTotal: 1) { epsilonTotal } }", code: "FORBIDDEN" },
    ];
    for (const { claims, query, code } of tries) {
      const result = await stack.ask(claims, query);
      expect(result.errors.map((error) => error.extensions?.code), query).toEqual([code]);
    }
    expect({ settings: await settings(), audit: await auditCount() }).toEqual(before);
  });

  it("lets the owner raise one partner's quota up to 20, audited in its log and the platform's", async () => {
    const raised = await stack.ask<{ setPrivacyBudget: Record<string, unknown> }>(
      PIESHOP_ADMIN,
      'mutation { setPrivacyBudget(requesterBrandId: "teabar", epsilonTotal: 20) { requesterBrandId epsilonTotal epsilonRemaining } }',
    );
    expect(raised.errors).toEqual([]);
    expect(raised.data?.setPrivacyBudget).toEqual({ requesterBrandId: "teabar", epsilonTotal: 20, epsilonRemaining: 20 });
    const [event] = await stack.sql<{ actor: Record<string, unknown>; payload: Record<string, unknown> }>(
      "pieshop",
      "SELECT actor, payload FROM audit_events WHERE type = 'privacy.budget-changed' AND payload->>'requester' = 'teabar'",
    );
    expect(event).toEqual({
      actor: { kind: "user", subject: "pieshop-admin@dev", role: "admin", brand: "pieshop" },
      payload: { owner: "pieshop", budget: "quota", requester: "teabar", epsilonTotal: "20" },
    });
  });

  it("refuses estimate operations over 10 a second from one principal with RATE_LIMITED and a retry hint", async () => {
    // Teabar asks stylehub (the tests above spent teabar's pool cap and pieshop's quota at stylehub).
    const analyst = { brand: "teabar", role: "analyst", subject: "impatient@teabar" } as const;
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 25 }, () => stack.ask<{ brand: { audienceEstimate: LedgerEstimate | null } | null }>(analyst, ESTIMATE, { owner: "stylehub", expression: "interest:tea" })),
    );
    const elapsedSeconds = Math.floor((Date.now() - started) / 1000);
    const limited = results.flatMap((result) => result.errors).filter((error) => error.extensions?.code === "RATE_LIMITED");
    const answered = results.filter((result) => result.data?.brand?.audienceEstimate);
    // At most 10 in each one-second window the 25 calls spanned; every other call refused, none lost.
    expect(answered.length).toBeLessThanOrEqual(10 * (elapsedSeconds + 1));
    expect(answered.length + limited.length).toBe(25);
    expect(limited.length).toBeGreaterThanOrEqual(25 - 10 * (elapsedSeconds + 1));
    expect(limited.length).toBeGreaterThan(0);
    for (const error of limited) {
      const retry = (error.extensions?.details as { retryAfterMs?: number } | undefined)?.retryAfterMs;
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(1_000);
    }
  });

  it("limits a brand's estimate operations together, however many subjects its issuer mints", async () => {
    // 80 different teabar analysts at once: the brand's 60 a second is the bound, not theirs.
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        stack.ask<{ brand: { audienceEstimate: LedgerEstimate | null } | null }>({ brand: "teabar", role: "analyst", subject: `crowd-${i}@teabar` }, ESTIMATE, { owner: "stylehub", expression: "interest:tea" }),
      ),
    );
    const windows = Math.floor((Date.now() - started) / 1000) + 1;
    const limited = results.filter((result) => result.errors[0]?.extensions?.code === "RATE_LIMITED");
    const answered = results.filter((result) => result.data?.brand?.audienceEstimate);
    expect(answered.length + limited.length).toBe(80);
    expect(answered.length).toBeLessThanOrEqual(60 * windows);
    if (windows === 1) expect(limited.length).toBeGreaterThanOrEqual(20);
  });

  it("leaves one denial in the owner's log per denied operation, and records the gateway's reports at a bounded rate", async () => {
    const denials = () => stack.sql<{ n: number }>("pieshop", "SELECT count(*)::int AS n FROM audit_events WHERE type = 'policy.denied'");
    const gatewayKey = await importPrivateKey(stack.keys.gateway);
    const tokenFor = (caller: ForwardedCaller) => mintForwardedToken(gatewayKey, stack.keys.gateway.kid ?? "gateway", serviceAudience({ kind: "node", brandId: "pieshop" }), caller);
    const node = stack.nodes.get("pieshop")?.url ?? "";

    // Straight at the node, as if a gateway had let it through: an approver may not list members.
    const before = (await denials())[0]?.n ?? 0;
    const approver: ForwardedCaller = { kind: "user", subject: "nosy-approver@pieshop", brand: "pieshop", role: "approver", tokenId: randomUUID() };
    const aliases = Array.from({ length: 15 }, (_, i) => `m${i}: members(first: 1) { totalCount }`).join(" ");
    const atNode = await graphqlRequest(node, `{ ${aliases} }`, { token: await tokenFor(approver) });
    expect(new Set(atNode.errors.map((error) => error.extensions?.code))).toEqual(new Set(["FORBIDDEN"]));
    // The first denied field's event may commit just after the answer went out (graphql-js answers a
    // failed non-null root at once): wait for it, then make sure no second one follows.
    await eventually(async () => ((await denials())[0]?.n === before + 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await denials())[0]?.n).toBe(before + 1);

    // The gateway's reports about one principal: the first ten a minute are recorded, the rest dropped.
    const gateway: ForwardedCaller = { kind: "gateway", subject: "gateway", tokenId: randomUUID() };
    const actor = { kind: "user", subject: "flooder@teabar", brand: "teabar", role: "analyst" };
    const recorded: unknown[] = [];
    for (let i = 0; i < 12; i += 1) {
      const report = await graphqlRequest<{ recordGatewayDenial: boolean }>(
        node,
        "mutation($input: GatewayDenialInput!) { recordGatewayDenial(input: $input) }",
        { token: await tokenFor({ ...gateway, tokenId: randomUUID() }), variables: { input: { action: "ListMembers", actor } } },
      );
      recorded.push(report.data?.recordGatewayDenial);
    }
    expect(recorded).toEqual([...Array(10).fill(true), false, false]);
    const [flooded] = await stack.sql<{ n: number }>("pieshop", "SELECT count(*)::int AS n FROM audit_events WHERE type = 'policy.denied' AND actor->>'subject' = 'flooder@teabar'");
    expect(flooded?.n).toBe(10);
  });
});
