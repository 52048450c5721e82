import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCanaries, makeCanaries } from "../support/canaries.js";
import { guessAccuracy, optimalGuess, pairBound, playMembershipGame, samplingSlack } from "../support/membership-guess.js";
import type { Observation, Trial } from "../support/membership-guess.js";
import { ESTIMATE_FIELDS, FIXTURE_EPSILON, FIXTURE_THRESHOLD, currentPeriod, exactCount, expectedAnswer, expectedRelease, questionKeyOf } from "../support/privacy-oracle.js";
import type { AudienceEstimate, Channel } from "../support/privacy-oracle.js";
import { memberGlobalId } from "../support/secret-finder.js";
import { codes, platformShape, sharingRulesHelpers } from "../support/sharing-rules.js";
import { eventually, startTestStack } from "../support/test-stack.js";
import type { TestStack } from "../support/test-stack.js";
// The node's own release function, as the ledger calls it (the game's control draws with it too).
import { parseEpsilon, releaseCount } from "../../subgraphs/brand/dist/privacy/index.js";

// Issue 9's adversarial suite, the minimum outreach audience: a request made only to see whether
// it is declined teaches nothing beyond the noisy count it was charged for. The decline looks like
// any other to the requester (status, fields, coordinator events, audit events, a drawn delay), it
// is asked through the privacy ledger (one charge, the estimate's stored answer), and it is a
// function of that released count alone, so over 1,000 node secrets the decline adds nothing to a
// guess of a canary's membership.

const PIESHOP = { brand: "pieshop", role: "analyst" } as const;
const PIESHOP_AUDITOR = { brand: "pieshop", role: "auditor" } as const;
const TEABAR_ADMIN = { brand: "teabar", role: "admin" } as const;
const TEABAR_APPROVER = { brand: "teabar", role: "approver" } as const;
const EPSILON = Number(FIXTURE_EPSILON);
/** Automatic declines are released after a log-normal delay: median 3 s, sigma 0.5 (shrunk from 4 h and 1). */
const MEDIAN_SECONDS = 3;
const SIGMA = 0.5;

const ESTIMATE = `query($e: String!, $c: OutreachChannel) { brand(id: "teabar") { audienceEstimate(expression: $e, channel: $c) { ${ESTIMATE_FIELDS} } } }`;
const QUOTA = '{ brand(id: "teabar") { privacyBudget { epsilonSpent } } }';
const SET_MINIMUM = "mutation($m: Int!) { setMinimumOutreachAudience(minimum: $m) }";
const UPDATE_RULES = "mutation($p: String!) { updateSharingRules(policies: $p) { hash } }";
const DECIDE = `mutation($requestId: ID!, $contentHash: String!, $reason: String) {
  decideOutreachRequest(requestId: $requestId, contentHash: $contentHash, decision: DECLINE, reason: $reason) { status } }`;
/** Everything of a request the requester may read (but its id, hash and creation hour). */
const REQUESTER_VIEW = `query($id: ID!) { outreachRequest(id: $id) { status requesterBrandId channel maxRecipientsPerBrand
  targets { brandId status reason decidedBy copy { approvedCap } statusAt results { contacted delivered failed } } } }`;
const PLATFORM_EVENTS = `query($after: String) { auditEvents(first: 100, after: $after, brandId: "pieshop") {
  edges { cursor node { action actorBrandId targetBrandId targetBrandIds objectId } } pageInfo { hasNextPage endCursor } } }`;
/** Declines pieshop requests for more than 15,000 recipients: the "rule" decline to compare with. */
const LARGE_ASKS = `@id("no-large-pieshop-asks")
permit (principal == SharingRules::Brand::"pieshop", action == SharingRules::Action::"Decline", resource) when { context.requestedCap > 15000 };
`;

/** The decision the minimum-audience step must make from what the requester was told, and nothing else. */
const declinedFor = (released: number | null, minimum: number) => released === null || released < minimum;

describe("the minimum outreach audience under attack: a probe teaches nothing beyond the noisy count it was charged for", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      minimumAudienceCheck: true,
      nodeEnv: (brandId): Record<string, string> =>
        brandId === "teabar"
          ? { OUTREACH_LINK_DOMAINS: "pie.example", AUTO_DECLINE_MEDIAN_SECONDS: String(MEDIAN_SECONDS), AUTO_DECLINE_SIGMA: String(SIGMA), AUTO_DECLINE_RELEASE_SECONDS: "1" }
          : {},
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const { create, copyAt, atCoordinator } = sharingRulesHelpers(() => stack, "not age:55+");

  async function setMinimum(minimum: number): Promise<void> {
    const set = await stack.ask(TEABAR_ADMIN, SET_MINIMUM, { m: minimum });
    expect(set.errors ?? []).toEqual([]);
  }
  async function estimate(expression: string, channel: Channel): Promise<AudienceEstimate> {
    const answer = await stack.ask<{ brand: { audienceEstimate: AudienceEstimate } }>(PIESHOP, ESTIMATE, { e: expression, c: channel });
    expect(answer.errors ?? []).toEqual([]);
    return answer.data?.brand.audienceEstimate as AudienceEstimate;
  }
  const quotaSpent = async () => (await stack.ask<{ brand: { privacyBudget: { epsilonSpent: number } } }>(PIESHOP, QUOTA)).data?.brand.privacyBudget.epsilonSpent as number;
  const spendRows = async () => (await stack.sql<{ n: number }>("teabar", "SELECT count(*)::int AS n FROM privacy_spend WHERE requester_brand = 'pieshop'"))[0]?.n as number;
  /**
   * The copy once the pickup is done: the pickup asks the ledger and the steps decide in the storing
   * transaction, so a visible copy is decided, or left to the approver.
   */
  const picked = (requestId: string) => eventually(async () => (await copyAt(requestId)) ?? undefined);
  async function requesterView(requestId: string) {
    const answer = await stack.ask<{ outreachRequest: { targets: ({ statusAt: string; status: string | null } & Record<string, unknown>)[] } & Record<string, unknown> }>(PIESHOP, REQUESTER_VIEW, {
      id: requestId,
    });
    expect(answer.errors ?? []).toEqual([]);
    const request = answer.data?.outreachRequest;
    // Times are rounded down to the hour: two declines a minute apart may straddle one; the rounding itself is checked.
    for (const target of request?.targets ?? []) expect(target.statusAt).toMatch(/T\d\d:00:00(\.000)?Z$/);
    return { ...request, targets: request?.targets.map(({ statusAt: _, ...rest }) => rest) };
  }
  /** The coordinator's log of one request, as shapes: type, actor, payload keys and status. */
  type Edge = { cursor: string; node: { action: string; actorBrandId: string | null; targetBrandId: string | null; targetBrandIds: string[]; objectId: string | null } };
  /** What pieshop's auditor reads of one request in the platform log (every page). */
  async function audited(requestId: string) {
    const edges: Edge[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      type Page = { auditEvents: { edges: Edge[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
      const cursor: string | null = after;
      const answer: Awaited<ReturnType<TestStack["ask"]>> & { data?: Page | null } = await stack.ask<Page>(PIESHOP_AUDITOR, PLATFORM_EVENTS, { after: cursor });
      expect(answer.errors ?? []).toEqual([]);
      edges.push(...(answer.data?.auditEvents.edges ?? []));
      if (!answer.data?.auditEvents.pageInfo.hasNextPage) break;
      after = answer.data.auditEvents.pageInfo.endCursor ?? null;
    }
    return edges.filter((edge) => edge.node.objectId === requestId).map((edge) => ({ ...edge.node, objectId: null }));
  }
  /** Everything the requester can read of a decided request, once the decline is released. */
  const everything = async (requestId: string) => ({ view: await requesterView(requestId), coordinator: await platformShape(stack, requestId), audited: await audited(requestId) });

  describe("a request just above and just below the owner's minimum", () => {
    const expression = "interest:food or interest:coffee or interest:tea or interest:baking";
    const anyOf = ["interest:food", "interest:coffee", "interest:tea", "interest:baking"];
    const ids: Record<"minimum" | "human" | "rule" | "reworded" | "aboveAfterTag", string> = { minimum: "", human: "", rule: "", reworded: "", aboveAfterTag: "" };
    let released: AudienceEstimate;

    it("is declined below the minimum and left to the approver at it, from the stored noisy count the requester was charged for once", async () => {
      const exact = await exactCount(stack, "teabar", { anyOf }, "EMAIL");
      const expected = expectedRelease(stack, "teabar", expression, "EMAIL", exact);
      expect(expected.count).toBeGreaterThan(110);
      const count = expected.count as number;
      // The owner's minimum sits one above the noisy count: the requester's first request asks the question.
      await setMinimum(count + 1);
      const [spentBefore, rowsBefore] = [await quotaSpent(), await spendRows()];
      const below = await create(PIESHOP, { expression });
      const copy = await picked(below.id);
      expect(copy).toMatchObject({ status: "DECLINED", decided_kind: "MINIMUM_AUDIENCE", decided_by: "rule:minimum-audience" });
      ids.minimum = below.id;
      // Charged as an estimate of the question would be, once: one privacy_spend row, epsilon on the quota.
      expect(await spendRows()).toBe(rowsBefore + 1);
      expect((await quotaSpent()) - spentBefore).toBeCloseTo(EPSILON, 9);
      const key = questionKeyOf(expression, "EMAIL");
      expect(await stack.sql("teabar", "SELECT requester_brand FROM privacy_spend WHERE question_key = $1", [key])).toEqual([{ requester_brand: "pieshop" }]);
      // The estimate the requester asks next is that very figure, repeated, and free.
      released = await estimate(expression, "EMAIL");
      expect(released).toEqual(expectedAnswer(expected, true));
      expect(declinedFor(released.count, count + 1)).toBe(true);
      expect((await quotaSpent()) - spentBefore).toBeCloseTo(EPSILON, 9);

      // At the minimum (equal to the released count) the same question is not declined; nothing is charged again.
      await setMinimum(count);
      const at = await create(PIESHOP, { expression });
      expect(await picked(at.id)).toMatchObject({ status: "PENDING", decided_kind: null });
      expect(declinedFor(released.count, count)).toBe(false);
      expect(await spendRows()).toBe(rowsBefore + 1);
      // The approver declines it: the human decline to compare with.
      const declined = await stack.ask(TEABAR_APPROVER, DECIDE, { requestId: at.id, contentHash: at.contentHash, reason: "Not this month" });
      expect(declined.errors ?? []).toEqual([]);
      ids.human = at.id;
      // A rule's decline of the same question (the minimum audience passes, the rule then declines).
      const rules = await stack.ask(TEABAR_ADMIN, UPDATE_RULES, { p: LARGE_ASKS });
      expect(rules.errors ?? []).toEqual([]);
      const large = await create(PIESHOP, { expression, maxRecipientsPerBrand: 20_000 });
      expect(await picked(large.id)).toMatchObject({ status: "DECLINED", decided_kind: "RULE" });
      ids.rule = large.id;
      expect(await spendRows()).toBe(rowsBefore + 1);
    });

    it("gives a reworded or repeated request the same decision and no second charge, even after a canary is tagged into the audience", async () => {
      await setMinimum((released.count as number) + 1);
      const spent = await quotaSpent();
      // De Morgan: the same question, keyed by meaning.
      const reworded = await create(PIESHOP, { expression: "not (not interest:baking and not interest:coffee and not interest:tea and not interest:food)" });
      expect(await picked(reworded.id)).toMatchObject({ status: "DECLINED", decided_kind: "MINIMUM_AUDIENCE" });
      ids.reworded = reworded.id;
      // The probe of "just below": a canary tagged interest:food joins the audience. The stored answer
      // stands for the period, so the same question decides the same way; the probe learned nothing.
      const [canary] = makeCanaries(1);
      const [memberId] = await importCanaries(stack, "teabar", [canary!]);
      const tagged = await stack.ask<{ tagMembers: { affected: number } }>({ brand: "teabar", role: "analyst" }, 'mutation($ids: [ID!]) { tagMembers(tag: "interest:food", ids: $ids) { affected } }', {
        ids: [memberGlobalId("teabar", memberId!)],
      });
      expect(tagged.errors ?? []).toEqual([]);
      const repeated = await create(PIESHOP, { expression });
      expect(await picked(repeated.id)).toMatchObject({ status: "DECLINED", decided_kind: "MINIMUM_AUDIENCE" });
      ids.aboveAfterTag = repeated.id;
      expect(await estimate(expression, "EMAIL")).toEqual({ ...released, repeated: true });
      expect(await quotaSpent()).toBeCloseTo(spent, 9);
      expect(await stack.sql("teabar", "SELECT count(*)::int AS n FROM privacy_answers WHERE question_key = $1", [questionKeyOf(expression, "EMAIL")])).toEqual([{ n: 1 }]);
    });

    it("looks to the requester exactly like a person's decline and a rule's: status, fields, the coordinator's events, the audit events it reads", async () => {
      for (const id of Object.values(ids)) await atCoordinator(id, "DECLINED");
      // The coordinator has applied each; give the platform log its last events.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const human = await everything(ids.human);
      expect(human.view).toMatchObject({ targets: [{ brandId: "teabar", status: "DECLINED", reason: null, decidedBy: null, copy: null, results: null }] });
      expect(human.audited.length).toBeGreaterThan(0);
      expect(human.coordinator.map((event) => event.type)).toContain("node.outreach.status");
      expect(await everything(ids.minimum)).toEqual(human);
      expect(await everything(ids.reworded)).toEqual(human);
      expect(await everything(ids.aboveAfterTag)).toEqual(human);
      // The rule's request asked for 20,000: apart from that field it reads the same.
      expect(await everything(ids.rule)).toEqual({ ...human, view: { ...human.view, maxRecipientsPerBrand: 20_000 } });
      // The owner sees who decided each.
      const owner = await stack.ask<{ outreachRequest: { targets: { decidedBy: string }[] } }>(TEABAR_APPROVER, "query($id: ID!) { outreachRequest(id: $id) { targets { decidedBy } } }", { id: ids.minimum });
      expect(owner.data?.outreachRequest.targets[0]?.decidedBy).toBe("MINIMUM_AUDIENCE");
      // The platform log (all of it, not only what pieshop reads) never says who declined, nor why.
      expect(JSON.stringify(await stack.sql("coordinator", "SELECT * FROM audit_events"))).not.toMatch(/MINIMUM_AUDIENCE|rule:minimum-audience|no-large-pieshop-asks|below this brand's minimum/);
      // It does record each minimum-audience question the node asked (the ledger's event): one per
      // request, whatever was decided, each with the same released figure and no request id.
      const asked = await stack.sql<{ payload: Record<string, unknown> }>(
        "coordinator",
        "SELECT payload FROM audit_events WHERE type = 'node.estimate.answered' AND payload->'actor'->>'check' = 'minimum-audience' AND payload->>'question' = $1 ORDER BY seq",
        [questionKeyOf(expression, "EMAIL")],
      );
      expect(asked).toHaveLength(Object.keys(ids).length);
      expect(new Set(asked.map(({ payload }) => `${payload.released}|${Object.keys(payload).sort().join(",")}`))).toEqual(new Set([`${released.count}|${Object.keys(asked[0]?.payload ?? {}).sort().join(",")}`]));
      expect(asked.map(({ payload }) => payload.repeated)).toEqual([false, true, true, true, true]);
      for (const id of Object.values(ids)) expect(JSON.stringify(asked)).not.toContain(id);
      // Bad input: pieshop's analyst asking for teabar's copy or who decided through a hand-written
      // _entities gets null for both (the node answers the requester's status only).
      const entities = await stack.ask<{ _entities: Record<string, unknown>[] }>(
        PIESHOP,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on OutreachTarget { status reason decidedBy copy { approvedCap } } } }',
        { r: [{ __typename: "OutreachTarget", requestId: ids.minimum, brandId: "teabar" }] },
      );
      if (entities.errors?.length) expect(codes(entities)).not.toContain("INTERNAL");
      else expect(entities.data?._entities).toEqual([{ status: "DECLINED", reason: null, decidedBy: null, copy: null }]);
    });
  });

  it("holds each automatic decline for a drawn delay: not visible to the requester before release_at, and spread like the configured log-normal", async () => {
    await setMinimum(100_000);
    const expressions = ["interest:pets", "interest:outdoors", "interest:travel and gender:f", "lifecycle:new", "interest:baking", "region:northwest or interest:tea"];
    const made = await Promise.all(expressions.map((expression) => create(PIESHOP, { expression, channel: "SMS", subject: null })));
    const held = await Promise.all(made.map(async (request) => ({ request, copy: await picked(request.id) })));
    const seen: { id: string; at: number; status: unknown }[] = [];
    // Watch every request until all are released: before its release_at the requester and the coordinator read PENDING.
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      const views = await Promise.all(
        held.map(async ({ request }) => {
          const [before] = await stack.sql<{ release_at: Date }>("teabar", "SELECT release_at FROM incoming_requests WHERE request_id = $1", [request.id]);
          const view = await requesterView(request.id);
          return { id: request.id, at: Date.now(), status: view.targets?.[0]?.status, releaseAt: before?.release_at as Date };
        }),
      );
      for (const view of views) {
        seen.push(view);
        // Read after the clock passed release_at's check only if it was visible: a PENDING may be late, DECLINED never early.
        if (view.status === "DECLINED") expect(view.at).toBeGreaterThanOrEqual(view.releaseAt.getTime() - 1_000);
      }
      if (views.every((view) => view.status === "DECLINED")) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const copies = await Promise.all(made.map((request) => copyAt(request.id)));
    const delays = await stack.sql<{ id: string; delay: number; late: number }>(
      "teabar",
      `SELECT request_id::text AS id, extract(epoch FROM release_at - decided_at)::float8 AS delay, extract(epoch FROM released_at - release_at)::float8 AS late
         FROM incoming_requests WHERE request_id = ANY($1::uuid[])`,
      [made.map((request) => request.id)],
    );
    for (const copy of copies) expect(copy).toMatchObject({ status: "DECLINED", decided_kind: "MINIMUM_AUDIENCE" });
    expect(delays).toHaveLength(expressions.length);
    // Released at or after its time (a job every second), never before.
    for (const { late } of delays) expect(late).toBeGreaterThanOrEqual(0);
    // Each whose release time came after the requester's first look was seen PENDING (the pickup is
    // quick, the delay is not zero), and most were.
    const firstLook = Math.min(...seen.map((view) => view.at));
    const late = held.filter(({ copy }) => (copy?.release_at?.getTime() ?? 0) > firstLook + 500);
    expect(late.length).toBeGreaterThanOrEqual(held.length / 2);
    for (const { request } of late) expect(seen.some((view) => view.id === request.id && view.status === "PENDING")).toBe(true);
    // The coordinator hears of each release from the owner's outbox push (asynchronous, every
    // OUTBOX_PUSH_SECONDS at the latest), so it may read PENDING a moment after the requester saw DECLINED.
    await Promise.all(held.map(({ request }) => atCoordinator(request.id, "DECLINED")));
    // Coarse check of the distribution over six draws: log-delays have mean ln 3 and sd 0.5; the
    // mean of six is within 4 standard errors (0.82), the spread is neither zero nor tenfold.
    const logs = delays.map(({ delay }) => Math.log(delay));
    const mean = logs.reduce((sum, x) => sum + x, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (logs.length - 1));
    expect(Math.abs(mean - Math.log(MEDIAN_SECONDS))).toBeLessThan(4 * (SIGMA / Math.sqrt(logs.length)));
    expect(sd).toBeGreaterThan(0.1);
    expect(sd).toBeLessThan(1.5);
    expect(new Set(delays.map(({ delay }) => delay.toFixed(3))).size).toBe(delays.length);
    // Loosely against a person's decline: that one is told at the decision, these none sooner than a tenth of the median.
    for (const { delay } of delays) expect(delay).toBeGreaterThan(MEDIAN_SECONDS / 10);
  }, 90_000);

  describe("a guess of a canary's membership from the estimate and the decline, over 1,000 node secrets", () => {
    // The canary's tag decides whether interest:gaming counts it; in each world the requester
    // makes one request for it (SMS in the world where it matches, EMAIL after the tag is removed:
    // the channel is part of the question's key) and sees the released count and the decision.
    // The canary is lifecycle:new, so only interest:gaming decides whether it is counted; most
    // members are not new, so the audience is large enough for any minimum allowed.
    const question = "not lifecycle:new or interest:gaming";
    /** Exact count of `not <tag> or <also>` on a channel, from the node's database. */
    const exactNotOr = async (tag: string, also: string | null, channel: Channel) =>
      (await exactCount(stack, "teabar", {}, channel)) -
      (await exactCount(stack, "teabar", { allOf: [tag] }, channel)) +
      (also ? await exactCount(stack, "teabar", { allOf: [tag, also] }, channel) : 0);
    const observations: Observation[] = [];
    /** The owner's minimum in the game: the exact count of the world where the canary does not match, plus one, the most telling. */
    let gameMinimum = 0;

    it("is what the node really decides, in both worlds: the decision is the released count against the minimum (the premise)", async () => {
      const [canary] = makeCanaries(1);
      const [memberId] = await importCanaries(stack, "teabar", [canary!]);
      const play = async (channel: Channel, minimumFromExact: (exact: number) => number) => {
        const exact = await exactNotOr("lifecycle:new", "interest:gaming", channel);
        expect(exact).toBeGreaterThan(FIXTURE_THRESHOLD + 100);
        // The owner's minimum right at the exact count: a decline that used the exact figure would show it.
        const minimum = minimumFromExact(exact);
        await setMinimum(minimum);
        const request = await create(PIESHOP, { expression: question, channel, subject: channel === "EMAIL" ? "A pie on us" : null });
        const copy = await picked(request.id);
        const answer = await estimate(question, channel);
        expect(answer).toEqual(expectedAnswer(expectedRelease(stack, "teabar", question, channel, exact), true));
        expect(copy?.status === "DECLINED").toBe(declinedFor(answer.count, minimum));
        expect(copy?.decided_kind === "MINIMUM_AUDIENCE").toBe(declinedFor(answer.count, minimum));
        return exact;
      };
      const matches = await play("SMS", (exact) => exact);
      const removed = await stack.ask<{ untagMembers: { affected: number } }>({ brand: "teabar", role: "analyst" }, 'mutation($ids: [ID!]) { untagMembers(tag: "interest:gaming", ids: $ids) { affected } }', {
        ids: [memberGlobalId("teabar", memberId!)],
      });
      expect(removed.data?.untagMembers.affected).toBe(1);
      await play("EMAIL", (exact) => exact + 1);
      // A few more thresholds around the noisy count, each a new question (so a new draw): decided from the released figure every time.
      for (const [other, offset] of [["region:east", -3], ["interest:tea", 0], ["age:18-24", 3]] as const) {
        const expression = `not ${other}`;
        const before = await spendRows();
        // The noisy count is not known before the request: the minimum is set around the exact one.
        const exact = await exactNotOr(other, null, "SMS");
        const minimum = Math.max(100, exact + offset);
        await setMinimum(minimum);
        const request = await create(PIESHOP, { expression, channel: "SMS", subject: null });
        const copy = await picked(request.id);
        expect(await spendRows()).toBe(before + 1);
        const answer = await estimate(expression, "SMS");
        expect(answer.repeated).toBe(true);
        expect(copy?.status === "DECLINED").toBe(declinedFor(answer.count, minimum));
      }
      observations.push({ questionKey: questionKeyOf(question, "SMS"), exactIfMatches: matches, exactIfNot: matches - 1 });
      gameMinimum = matches;
    }, 60_000);

    const trialsAt = (noiseEpsilon: string) =>
      playMembershipGame({ observations, period: currentPeriod(), threshold: FIXTURE_THRESHOLD, noiseEpsilon, trials: 1_000, seed: "privacy-suite/minimum-audience" });
    const bound = pairBound(EPSILON);
    const slack = samplingSlack(bound, 1_000, 4);
    /** Each guess the attacker may make from (released count, declined). */
    const guesses = {
      fromCount: (released: number | null, _declined: boolean) => optimalGuess([released], observations),
      fromDecline: (_released: number | null, declined: boolean) => !declined,
      // The count's vote and the decline's vote together, the decline breaking a tie.
      fromBoth: (released: number | null, declined: boolean) => {
        const low = Math.min(observations[0]!.exactIfMatches, observations[0]!.exactIfNot);
        const score = ((released ?? 0) > low ? 1 : -1) + (declined ? -1 : 1);
        return score === 0 ? !declined : score > 0;
      },
    };
    const accuracy = (trials: Trial[], decide: (released: number | null, exact: number) => boolean, guess: (released: number | null, declined: boolean) => boolean) =>
      trials.filter((trial) => {
        const observation = observations[0]!;
        const exact = trial.canaryMatches ? observation.exactIfMatches : observation.exactIfNot;
        return guess(trial.released[0] ?? null, decide(trial.released[0] ?? null, exact)) === trial.canaryMatches;
      }).length / trials.length;

    it("adds nothing: with the decline computed from the released count for each secret, no guess beats e^eps/(1+e^eps) plus 4 sigma", () => {
      expect(gameMinimum).toBeGreaterThan(100);
      const trials = trialsAt(FIXTURE_EPSILON);
      const fromReleased = (released: number | null) => declinedFor(released, gameMinimum);
      // The decline is a function of the released count: two secrets with the same count decide alike.
      const byCount = new Map<string, boolean>();
      for (const trial of trials) {
        const key = String(trial.released[0]);
        const declined = fromReleased(trial.released[0] ?? null);
        expect(byCount.get(key) ?? declined).toBe(declined);
        byCount.set(key, declined);
      }
      // Both outcomes occur: the minimum sits where the decline is most telling, if it told anything.
      expect(new Set(byCount.values())).toEqual(new Set([true, false]));
      for (const guess of Object.values(guesses)) expect(accuracy(trials, fromReleased, guess)).toBeLessThanOrEqual(bound + slack);
      // The count alone reaches the bound, and the decline on top of it adds nothing: the same guesses.
      expect(accuracy(trials, fromReleased, guesses.fromCount)).toBeGreaterThanOrEqual(bound - slack);
      expect(guessAccuracy(trials, observations)).toBe(accuracy(trials, fromReleased, guesses.fromCount));
    });

    it("catches a decline that looks at the exact audience: the same guesses then beat the bound", () => {
      const trials = trialsAt(FIXTURE_EPSILON);
      const fromExact = (_released: number | null, exact: number) => exact < gameMinimum;
      expect(accuracy(trials, fromExact, guesses.fromDecline)).toBe(1);
      expect(accuracy(trials, fromExact, guesses.fromBoth)).toBeGreaterThan(bound + slack);
      // Or one that adds fresh noise of its own to the exact count (a second, uncharged release).
      const fresh = (_released: number | null, exact: number) =>
        declinedFor(
          releaseCount({ secret: randomBytes(32).toString("base64url"), questionKey: "decline", period: currentPeriod(), exact, epsilon: parseEpsilon("1"), threshold: FIXTURE_THRESHOLD }).count,
          gameMinimum,
        );
      expect(accuracy(trials, fresh, guesses.fromBoth)).toBeGreaterThan(bound + slack);
    });
  });
});
