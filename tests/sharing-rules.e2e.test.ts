import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES, UPDATE, codes, platformShape, sha256, sharingRulesHelpers } from "./support/sharing-rules.js";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// Issue 9, parts 1-3: each owner's sharing rules in Cedar at its own node (auto-approve,
// auto-decline, blocked partners), a dry run, and the minimum outreach audience asked through the
// privacy ledger; automatic declines look like a person's to the requester.

const PIESHOP_ANALYST = { brand: "pieshop", role: "analyst" } as const;
const STYLEHUB_ANALYST = { brand: "stylehub", role: "analyst" } as const;
const STYLEHUB_AUDITOR = { brand: "stylehub", role: "auditor" } as const;
const TEABAR_ADMIN = { brand: "teabar", role: "admin" } as const;
const TEABAR_APPROVER = { brand: "teabar", role: "approver" } as const;
const TEABAR_ANALYST = { brand: "teabar", role: "analyst" } as const;
const PIESHOP_ADMIN = { brand: "pieshop", role: "admin" } as const;
/** Automatic declines reach the requester this long after the decision (sigma 0: exactly). */
const RELEASE_SECONDS = 4;

const PREVIEW = "query($p: String, $last: Int) { previewSharingDecisions(policies: $p, last: $last) { requestId decision reasons } }";
const SET_MINIMUM = "mutation($m: Int!) { setMinimumOutreachAudience(minimum: $m) }";
const DECIDE = `mutation($requestId: ID!, $contentHash: String!, $reason: String) {
  decideOutreachRequest(requestId: $requestId, contentHash: $contentHash, decision: DECLINE, reason: $reason) { status } }`;
const PLATFORM_EVENTS = `query($brandId: ID) { auditEvents(first: 100, brandId: $brandId) { edges { node { action actorBrandId targetBrandId targetBrandIds objectId } } } }`;

const AUTO_APPROVE = `@id("auto-approve-pieshop-email")
permit (principal == SharingRules::Brand::"pieshop", action == SharingRules::Action::"Approve", resource)
when { context.channel == "EMAIL" && context.requestedCap <= 10000 };
`;
const BLOCK_STYLEHUB = `${AUTO_APPROVE}
@id("block-stylehub")
permit (principal == SharingRules::Brand::"stylehub", action == SharingRules::Action::"Decline", resource);
`;


// Broad enough that teabar's consenting email audience is well over 100 in the fixtures.
const BROAD = "not age:55+";

describe("owners' sharing rules", () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      minimumAudienceCheck: true,
      nodeEnv: (brandId): Record<string, string> =>
        brandId === "teabar"
          ? {
              OUTREACH_LINK_DOMAINS: "pie.example",
              AUTO_DECLINE_MEDIAN_SECONDS: String(RELEASE_SECONDS),
              AUTO_DECLINE_SIGMA: "0",
              AUTO_DECLINE_RELEASE_SECONDS: "1",
            }
          : {},
    });
    // The fixtures are small: teabar's minimum is set to the lowest allowed for the rule tests.
    const set = await stack.ask(TEABAR_ADMIN, SET_MINIMUM, { m: 100 });
    expect(set.errors ?? []).toEqual([]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const { create, copyAt, stored, coordinatorStatus, atCoordinator, target, rules, save, ruleEvents } = sharingRulesHelpers(() => stack, BROAD);

  it("reads no rules as the empty policy set, and lets only the brand's admins read or replace them", async () => {
    expect(await rules()).toEqual({ policies: "", validatedAt: null, hash: sha256("") });
    for (const claims of [TEABAR_APPROVER, TEABAR_ANALYST]) {
      expect(codes(await stack.ask(claims, RULES))).toEqual(["FORBIDDEN"]);
      expect(codes(await stack.ask(claims, UPDATE, { p: AUTO_APPROVE }))).toEqual(["FORBIDDEN"]);
      expect(codes(await stack.ask(claims, PREVIEW, { p: AUTO_APPROVE }))).toEqual(["FORBIDDEN"]);
      expect(codes(await stack.ask(claims, SET_MINIMUM, { m: 5000 }))).toEqual(["FORBIDDEN"]);
    }
    // pieshop's admin reaches only pieshop's own rules (a root field runs on the caller's node).
    expect(codes(await stack.ask(PIESHOP_ADMIN, UPDATE, { p: BLOCK_STYLEHUB })) ?? []).toEqual([]);
    expect(await rules()).toEqual({ policies: "", validatedAt: null, hash: sha256("") });
    expect(await stack.sql("teabar", "SELECT count(*)::int AS n FROM sharing_rules")).toEqual([{ n: 0 }]);
    // Undo pieshop's own change so that it decides nothing in the tests below.
    expect(codes(await stack.ask(PIESHOP_ADMIN, UPDATE, { p: "" })) ?? []).toEqual([]);
  });

  it("auto-approves pieshop's email request of 500 the way a person approves it, and leaves one of 20,000 pending", async () => {
    const saved = await save(AUTO_APPROVE);
    expect(saved).toMatchObject({ policies: AUTO_APPROVE, hash: sha256(AUTO_APPROVE) });
    expect((await ruleEvents()).at(-1)?.payload).toMatchObject({ version: 1, hash: sha256(AUTO_APPROVE), previousHash: sha256("") });

    const small = await create(PIESHOP_ANALYST);
    const large = await create(PIESHOP_ANALYST, { maxRecipientsPerBrand: 20_000 });
    const approved = await eventually(async () => ((await copyAt(small.id))?.status === "APPROVED" ? copyAt(small.id) : undefined));
    expect(approved).toMatchObject({ decided_kind: "RULE", decided_by: "rule:auto-approve-pieshop-email", approved_cap: 500 });
    expect(await stored(large.id)).toMatchObject({ status: "PENDING", decided_kind: null });
    // The human path's steps: the results' budget reserved, the owner's event naming the rule and the hash.
    expect(await stack.sql("teabar", "SELECT requester_brand, epsilon::text FROM privacy_spend WHERE question_key = $1", [`outreach-results:${small.id}`])).toEqual([
      { requester_brand: "pieshop", epsilon: "1" },
    ]);
    const [event] = await stack.sql<{ actor: Record<string, unknown>; payload: Record<string, unknown> }>(
      "teabar",
      "SELECT actor, payload FROM audit_events WHERE type = 'outreach.approved' AND subject->>'id' = $1",
      [small.id],
    );
    expect(event?.actor).toEqual({ kind: "rule", rule: "auto-approve-pieshop-email" });
    expect(event?.payload).toMatchObject({ contentHash: small.contentHash, cap: 500, decidedBy: "rule", by: "RULE" });
    await atCoordinator(small.id, "APPROVED");
    // The owner sees who decided; the requester does not.
    expect(await target(TEABAR_APPROVER, small.id)).toMatchObject({ status: "APPROVED", decidedBy: "RULE" });
    expect(await target(PIESHOP_ANALYST, small.id)).toEqual({ brandId: "teabar", status: "APPROVED", reason: null, decidedBy: null, copy: null });
    expect(await target(PIESHOP_ANALYST, large.id)).toEqual({ brandId: "teabar", status: "PENDING", reason: null, decidedBy: null, copy: null });
  });

  it("refuses a rule set that does not validate with Cedar's message and position, and the old one keeps deciding", async () => {
    const before = { rules: await rules(), versions: await stack.sql("teabar", "SELECT count(*)::int AS n FROM sharing_rules"), events: (await ruleEvents()).length };
    // Bad input: a context attribute the schema does not have (the audience is never in it).
    const unknown = await stack.ask(TEABAR_ADMIN, UPDATE, {
      p: '@id("small-audiences")\npermit (principal, action == SharingRules::Action::"Decline", resource)\nwhen { context.audience < 1000 };',
    });
    expect(codes(unknown)).toEqual(["INVALID_POLICY"]);
    expect(unknown.errors[0]?.message).toMatch(/attribute `audience` in context/);
    expect((unknown.errors[0]?.extensions as { details?: { problems?: unknown[] } }).details?.problems).toMatchObject([{ line: 3, column: expect.any(Number) }]);
    // Bad input: a syntax error.
    const broken = await stack.ask(TEABAR_ADMIN, UPDATE, { p: '@id("x")\npermit (principal, action, resource) when { 1 + };' });
    expect(codes(broken)).toEqual(["INVALID_POLICY"]);
    expect(broken.errors[0]?.message).toMatch(/unexpected token/);
    // Bad input: no @id, and a permit that would loosen quiet hours.
    expect(codes(await stack.ask(TEABAR_ADMIN, UPDATE, { p: 'permit (principal, action == SharingRules::Action::"Decline", resource);' }))).toEqual(["INVALID_POLICY"]);
    const looser = await stack.ask(TEABAR_ADMIN, UPDATE, { p: '@id("late-night")\npermit (principal, action == SharingRules::Action::"Send", resource);' });
    expect(codes(looser)).toEqual(["INVALID_POLICY"]);
    expect(looser.errors[0]?.message).toMatch(/only tighten/);
    const moreOften = await stack.ask(TEABAR_ADMIN, UPDATE, { p: '@id("often")\npermit (principal, action == SharingRules::Action::"Contact", resource);' });
    expect(codes(moreOften)).toEqual(["INVALID_POLICY"]);

    expect({ rules: await rules(), versions: await stack.sql("teabar", "SELECT count(*)::int AS n FROM sharing_rules"), events: (await ruleEvents()).length }).toEqual(before);
    const next = await create(PIESHOP_ANALYST);
    await eventually(async () => ((await copyAt(next.id))?.status === "APPROVED" ? true : undefined));
    expect(await copyAt(next.id)).toMatchObject({ decided_by: "rule:auto-approve-pieshop-email" });
  });

  it("declines a blocked partner's request, and what the requester sees is what a person's decline shows", async () => {
    // First a person's decline (no rule covers stylehub yet), then the blocked partner's.
    const human = await create(STYLEHUB_ANALYST);
    expect(await stored(human.id)).toMatchObject({ status: "PENDING" });
    const declined = await stack.ask(TEABAR_APPROVER, DECIDE, { requestId: human.id, contentHash: human.contentHash, reason: "Not this season" });
    expect(declined.errors ?? []).toEqual([]);
    await atCoordinator(human.id, "DECLINED");

    await save(BLOCK_STYLEHUB);
    const blocked = await create(STYLEHUB_ANALYST);
    const copy = await eventually(async () => ((await copyAt(blocked.id))?.status === "DECLINED" ? copyAt(blocked.id) : undefined));
    expect(copy).toMatchObject({ decided_kind: "RULE", decided_by: "rule:block-stylehub", released_at: null });
    expect(copy?.release_at).not.toBeNull();
    // Held: the requester and the coordinator still see a request waiting for its approver.
    expect(await target(STYLEHUB_ANALYST, blocked.id)).toEqual({ brandId: "teabar", status: "PENDING", reason: null, decidedBy: null, copy: null });
    expect(await coordinatorStatus(blocked.id)).toBe("PENDING");
    // The owner knows at once, and why.
    expect(await target(TEABAR_APPROVER, blocked.id)).toMatchObject({ status: "DECLINED", decidedBy: "RULE" });
    await atCoordinator(blocked.id, "DECLINED");
    const releasedAfter = ((await copyAt(blocked.id))?.released_at?.getTime() ?? 0) - (copy?.release_at?.getTime() ?? 0);
    expect(releasedAfter).toBeGreaterThanOrEqual(0);

    // Everything stylehub can read of the two declines is alike: its view, the coordinator's
    // target and events, its auditor's reading of the platform log.
    const seen = async (requestId: string) => target(STYLEHUB_ANALYST, requestId);
    expect(await seen(blocked.id)).toEqual(await seen(human.id));
    expect(await seen(blocked.id)).toEqual({ brandId: "teabar", status: "DECLINED", reason: null, decidedBy: null, copy: null });
    expect(await platformShape(stack, blocked.id)).toEqual(await platformShape(stack, human.id));
    type Edge = { node: { action: string; actorBrandId: string | null; targetBrandId: string | null; targetBrandIds: string[]; objectId: string | null } };
    const audited = async (requestId: string) => {
      const answer = await stack.ask<{ auditEvents: { edges: Edge[] } }>(STYLEHUB_AUDITOR, PLATFORM_EVENTS, { brandId: "stylehub" });
      expect(answer.errors ?? []).toEqual([]);
      return (answer.data?.auditEvents.edges ?? []).filter((edge) => edge.node.objectId === requestId).map((edge) => ({ ...edge.node, objectId: null }));
    };
    expect(await audited(blocked.id)).toEqual(await audited(human.id));
    expect((await audited(blocked.id)).length).toBeGreaterThan(0);
    expect(JSON.stringify(await stack.sql("coordinator", "SELECT * FROM audit_events"))).not.toContain("block-stylehub");
  });

  it("gives in a dry run the decisions that saving the rules and replaying the requests give", async () => {
    const candidate = `${BLOCK_STYLEHUB}
@id("no-huge-asks")
permit (principal, action == SharingRules::Action::"Decline", resource) when { context.requestedCap > 15000 };
`;
    const dry = await stack.ask<{ previewSharingDecisions: { requestId: string; decision: string; reasons: string[] }[] }>(TEABAR_ADMIN, PREVIEW, { p: candidate });
    expect(dry.errors ?? []).toEqual([]);
    const preview = dry.data?.previewSharingDecisions ?? [];
    expect(preview.length).toBeGreaterThan(3);
    // Nothing changed: the saved rules are still the old ones.
    expect((await rules())?.hash).toBe(sha256(BLOCK_STYLEHUB));
    expect(preview.filter((entry) => entry.decision === "DECLINE").map((entry) => entry.reasons)).toContainEqual(["no-huge-asks"]);
    // Bad input: more than 50, a set that does not validate.
    expect(codes(await stack.ask(TEABAR_ADMIN, PREVIEW, { last: 51 }))).toEqual(["BAD_INPUT"]);
    expect(codes(await stack.ask(TEABAR_ADMIN, PREVIEW, { p: "permit (" }))).toEqual(["INVALID_POLICY"]);

    await save(candidate);
    const replayed = await stack.ask<{ previewSharingDecisions: typeof preview }>(TEABAR_ADMIN, PREVIEW, {});
    expect(replayed.data?.previewSharingDecisions).toEqual(preview);
    // And the node, receiving the same kinds of request under the saved rules, decides as the dry run says.
    const fresh = [
      await create(PIESHOP_ANALYST),
      await create(PIESHOP_ANALYST, { maxRecipientsPerBrand: 12_000 }),
      await create(PIESHOP_ANALYST, { maxRecipientsPerBrand: 20_000 }),
      await create(STYLEHUB_ANALYST),
    ];
    const statuses = await Promise.all(
      fresh.map((made) =>
        eventually(async () => {
          const row = await copyAt(made.id);
          return row && (row.status !== "PENDING" || row.decided_kind === null) ? row : undefined;
        }),
      ),
    );
    const now = await stack.ask<{ previewSharingDecisions: typeof preview }>(TEABAR_ADMIN, PREVIEW, { last: 4 });
    const byId = new Map((now.data?.previewSharingDecisions ?? []).map((entry) => [entry.requestId, entry.decision]));
    const asStatus = { APPROVE: "APPROVED", DECLINE: "DECLINED", PENDING: "PENDING" } as Record<string, string>;
    expect(fresh.map((made) => asStatus[byId.get(made.id) ?? ""])).toEqual(statuses.map((row) => row.status));
    expect(statuses.map((row) => row.status)).toEqual(["APPROVED", "PENDING", "DECLINED", "DECLINED"]);
  });

  it("declines a request whose noisy audience is below the owner's minimum, says so to the owner only, and charges it like an estimate", async () => {
    // Bad input: below 100 is refused and changes nothing.
    expect(codes(await stack.ask(TEABAR_ADMIN, SET_MINIMUM, { m: 99 }))).toEqual(["BAD_INPUT"]);
    expect(await stack.sql("teabar", "SELECT minimum FROM outreach_minimum")).toEqual([{ minimum: 100 }]);
    expect((await stack.ask(TEABAR_ADMIN, SET_MINIMUM, { m: 100_000 })).errors ?? []).toEqual([]);
    try {
      const expression = "interest:tea or interest:coffee";
      const spendBefore = await stack.sql("teabar", "SELECT count(*)::int AS n FROM privacy_spend WHERE requester_brand = 'pieshop'");
      const small = await create(PIESHOP_ANALYST, { expression });
      const copy = await eventually(async () => ((await copyAt(small.id))?.status === "DECLINED" ? copyAt(small.id) : undefined));
      expect(copy).toMatchObject({ decided_kind: "MINIMUM_AUDIENCE", decided_by: "rule:minimum-audience" });
      expect(copy?.decline_reason).toMatch(/below this brand's minimum of 100000/);
      // One new question charged to pieshop, as an estimate of the same question would be.
      expect(await stack.sql("teabar", "SELECT count(*)::int AS n FROM privacy_spend WHERE requester_brand = 'pieshop'")).toEqual([{ n: (spendBefore[0]?.n as number) + 1 }]);
      const [answered] = await stack.sql<{ payload: Record<string, unknown> }>("teabar", "SELECT payload FROM audit_events WHERE type = 'estimate.answered' ORDER BY seq DESC LIMIT 1");
      expect(answered?.payload).toMatchObject({ requester: "pieshop", question: expect.stringContaining("channel=EMAIL") });
      expect(await target(TEABAR_APPROVER, small.id)).toMatchObject({ status: "DECLINED", decidedBy: "MINIMUM_AUDIENCE" });
      expect(await target(PIESHOP_ANALYST, small.id)).toEqual({ brandId: "teabar", status: "PENDING", reason: null, decidedBy: null, copy: null });
      await atCoordinator(small.id, "DECLINED");
      expect(await target(PIESHOP_ANALYST, small.id)).toEqual({ brandId: "teabar", status: "DECLINED", reason: null, decidedBy: null, copy: null });
      // The estimate pieshop may ask next is the same stored answer, and free: the pickup asked it.
      const estimate = await stack.ask<{ brand: { audienceEstimate: { repeated: boolean; epsilonSpent: number } } }>(
        PIESHOP_ANALYST,
        'query($e: String!) { brand(id: "teabar") { audienceEstimate(expression: $e, channel: EMAIL) { repeated epsilonSpent } } }',
        { e: expression },
      );
      expect(estimate.data?.brand.audienceEstimate).toEqual({ repeated: true, epsilonSpent: 0 });
    } finally {
      await stack.ask(TEABAR_ADMIN, SET_MINIMUM, { m: 100 });
    }
  });

  it("declines, as the minimum audience, a request whose question the requester's budget cannot pay for, and tells nothing more", async () => {
    // pieshop's quota at teabar is spent (set to what it has used): the question cannot be asked.
    const [used] = await stack.sql<{ spent: string }>("teabar", "SELECT epsilon_spent::text AS spent FROM privacy_quota_usage WHERE requester_brand = 'pieshop'");
    const quota = await stack.ask(TEABAR_ADMIN, "mutation($e: Float!) { setPrivacyBudget(requesterBrandId: \"pieshop\", epsilonTotal: $e) { epsilonTotal } }", { e: Number(used?.spent ?? 0) });
    expect(quota.errors ?? []).toEqual([]);
    try {
      const spendBefore = await stack.sql("teabar", "SELECT count(*)::int AS n FROM privacy_spend");
      const made = await create(PIESHOP_ANALYST, { expression: "interest:baking or interest:travel" });
      const copy = await eventually(async () => ((await copyAt(made.id))?.status === "DECLINED" ? copyAt(made.id) : undefined));
      expect(copy).toMatchObject({ decided_kind: "MINIMUM_AUDIENCE" });
      expect(copy?.decline_reason).toMatch(/budget/);
      // Nothing was counted or charged: no figure was computed for the requester.
      expect(await stack.sql("teabar", "SELECT count(*)::int AS n FROM privacy_spend")).toEqual(spendBefore);
      expect(await target(PIESHOP_ANALYST, made.id)).toEqual({ brandId: "teabar", status: "PENDING", reason: null, decidedBy: null, copy: null });
      await atCoordinator(made.id, "DECLINED");
    } finally {
      await stack.ask(TEABAR_ADMIN, "mutation { setPrivacyBudget(requesterBrandId: \"pieshop\", epsilonTotal: 10) { epsilonTotal } }");
    }
  });

  it("keeps a held decline's release time across a restart of the node, and releases it once", async () => {
    // The saved rules still block stylehub (the dry run's set).
    const blocked = await create(STYLEHUB_ANALYST);
    const held = await eventually(async () => ((await copyAt(blocked.id))?.status === "DECLINED" ? copyAt(blocked.id) : undefined));
    expect(held?.release_at).not.toBeNull();
    await stack.restartNode("teabar");
    expect((await copyAt(blocked.id))?.release_at).toEqual(held?.release_at);
    await atCoordinator(blocked.id, "DECLINED");
    const released = await copyAt(blocked.id);
    expect(released?.released_at?.getTime()).toBeGreaterThanOrEqual(held?.release_at?.getTime() ?? Infinity);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(
      await stack.sql("teabar", "SELECT count(*)::int AS n FROM coordinator_outbox WHERE type = 'outreach.status' AND payload->>'requestId' = $1", [blocked.id]),
    ).toEqual([{ n: 1 }]);
  });

  it("tells a blocked partner's decline drawn past the request's expiry as an expiry, like a request nobody answered", async () => {
    // The saved rules still block stylehub. Bad input for the timing: a request expiring in 15 s,
    // its decline's release then moved past the expiry (a draw the log-normal makes now and then).
    const soon = new Date(Date.now() + 15_000).toISOString();
    const blocked = await create(STYLEHUB_ANALYST, { sendAfter: new Date().toISOString(), expiresAt: soon });
    await eventually(async () => ((await copyAt(blocked.id))?.status === "DECLINED" ? true : undefined));
    await stack.sql("teabar", "UPDATE incoming_requests SET release_at = expires_at + interval '1 hour' WHERE request_id = $1", [blocked.id]);
    expect(await target(STYLEHUB_ANALYST, blocked.id)).toEqual({ brandId: "teabar", status: "PENDING", reason: null, decidedBy: null, copy: null });
    // From the expiry on: EXPIRED for the requester and at the coordinator, never DECLINED.
    await atCoordinator(blocked.id, "EXPIRED");
    expect(await target(STYLEHUB_ANALYST, blocked.id)).toEqual({ brandId: "teabar", status: "EXPIRED", reason: null, decidedBy: null, copy: null });
    const pushed = await stack.sql<{ status: string }>("teabar", "SELECT payload->>'status' AS status FROM coordinator_outbox WHERE type = 'outreach.status' AND payload->>'requestId' = $1", [blocked.id]);
    expect(pushed).toEqual([{ status: "EXPIRED" }]);
    // The owner still knows it was its rule's decline, and its log pairs the pushed status.
    expect(await target(TEABAR_APPROVER, blocked.id)).toMatchObject({ status: "DECLINED", decidedBy: "RULE" });
    const owned = await stack.sql<{ type: string }>("teabar", "SELECT type FROM audit_events WHERE subject->>'id' = $1 AND payload->>'released' = 'true'", [blocked.id]);
    expect(owned).toEqual([{ type: "outreach.expired" }]);
  });
});
