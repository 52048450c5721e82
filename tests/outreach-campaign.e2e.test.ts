import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpSink } from "@brandpool/sinks";
import type { SmtpSink } from "@brandpool/sinks";
import type { DevTokenClaims } from "@brandpool/stack";
// The node's own privacy layer, as built: with the node secret known, the test says exactly which
// noisy figure each release must be.
import { parseEpsilon, releaseCount } from "../subgraphs/brand/dist/privacy/index.js";
import { PLATFORM_AUDITOR, auditor } from "./support/auditors.js";
import { recipientsOf, sinkEmails } from "./support/outreach-sending.js";
import { memberGlobalId, secretFinder } from "./support/secret-finder.js";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// Issue 8's first required test, through the real flow only: pieshop asks teabar and stylehub for
// an email campaign; each owner decides through the gateway against its node's copy; teabar's node
// sends through a real SMTP server on loopback; pieshop sees statuses and noisy results, redeems
// a coupon from a message that arrived, and never any of teabar's members; a platform auditor
// reconciles the request and verifies both chains.

const PIESHOP_ANALYST = { brand: "pieshop", role: "analyst" } as const;
const PIESHOP_AUDITOR = auditor("pieshop");
const TEABAR_APPROVER = { brand: "teabar", role: "approver" } as const;
const STYLEHUB_APPROVER = { brand: "stylehub", role: "approver" } as const;
const EXPRESSION = "age:25-34 and lifecycle:new";
/** The lowest k a node accepts: with teabar's 28 consenting members, figures near the cap can clear it. */
const K = 20;
/** Below the 28 members of the seeded demo data at teabar who match and consent to email. */
const CAP = 25;
const DECLINE_REASON = "Our autumn tea launch comes first";

const CREATE = "mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id status contentHash targets { brandId status } } }";
const COPY = "query($id: ID!) { outreachRequest(id: $id) { targets { brandId copy { contentHash } } } }";
const DECIDE = `mutation($requestId: ID!, $contentHash: String!, $decision: OutreachDecision!, $reason: String, $cap: Int) {
  decideOutreachRequest(requestId: $requestId, contentHash: $contentHash, decision: $decision, reason: $reason, cap: $cap) { brandId status reason } }`;
const VIEW = `query($id: ID!) { outreachRequest(id: $id) { id contentHash targets { brandId status reason statusAt copy { contentHash }
  results { contacted delivered failed redeemed margin95 threshold releaseNumber releasedAt } } } }`;
const OUTGOING = "{ outreachRequests(direction: OUTGOING, first: 50) { edges { node { id targets { brandId status reason } } } } }";
const REDEEM = "mutation($id: ID!, $code: String!) { redeemCoupon(requestId: $id, code: $code) { valid reason } }";
const EVENT_FIELDS = "id sequence action actorBrandId targetBrandId targetBrandIds objectId at";
const COORDINATOR_EVENTS = `query($after: String) { auditEvents(first: 100, after: $after) { edges { node { ${EVENT_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const NODE_EVENTS = `query($id: ID!, $after: String) { brand(id: $id) { auditEvents(first: 100, after: $after) {
  edges { node { ${EVENT_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;
const RECONCILE = "query($id: ID!) { reconcileOutreachRequest(requestId: $id) { ok mismatches } }";
const VERIFY_NODE = "query($id: ID!) { brand(id: $id) { verifyAuditChain { ok checked firstBrokenEventId headsChecked } } }";

type Results = { contacted: number | null; delivered: number | null; failed: number | null; redeemed: number | null; margin95: number; threshold: number; releaseNumber: number };
type Target = { brandId: string; status: string | null; reason: string | null; statusAt: string; copy: unknown; results: Results | null };
type Page = { edges: { node: Record<string, unknown> }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
type Answer<T> = { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const COUPON = /code: ([0-9A-HJKMNP-TV-Z]{13})\b/;

/** Quiet hours in UTC from an hour ago to two hours ahead: now is well inside them. */
function quietAroundNow(): string {
  const hour = new Date().getUTCHours();
  const at = (h: number) => `${String((h + 24) % 24).padStart(2, "0")}:00`;
  return `${at(hour - 1)}-${at(hour + 2)}`;
}

describe("an email campaign from request to redemption, through the real flow", () => {
  let stack: TestStack;
  let mail: SmtpSink;
  let sinkDir: string;
  /** Every answer any pieshop principal received, errors included. */
  const seenByPieshop: string[] = [];

  beforeAll(async () => {
    sinkDir = await mkdtemp(join(tmpdir(), "brandpool-campaign-"));
    mail = await startSmtpSink({ dir: join(sinkDir, "mail") });
    stack = await startTestStack({
      kThreshold: K,
      nodeEnv: (brandId) => ({
        SMTP_URL: mail.url,
        SMTP_FROM: `outreach@${brandId}.example`,
        SEND_BATCH_SIZE: "8",
        SEND_POLL_SECONDS: "1",
        OUTREACH_RESULTS_SECONDS: "1",
        AUDIT_HEAD_SECONDS: "1",
        TIME_ZONE: "UTC",
        QUIET_HOURS: "none",
      }),
    });
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
    await mail?.close();
    if (sinkDir) await rm(sinkDir, { recursive: true, force: true });
  });

  const ask = async <T>(claims: DevTokenClaims, query: string, variables?: Record<string, unknown>): Promise<Answer<T>> => {
    const answer = (await stack.ask<T>(claims, query, variables)) as Answer<T>;
    if (claims.brand === "pieshop") seenByPieshop.push(JSON.stringify(answer));
    return answer;
  };
  const targetsFor = async (claims: DevTokenClaims, id: string): Promise<Target[]> => {
    const answer = await ask<{ outreachRequest: { targets: Target[] } }>(claims, VIEW, { id });
    expect(answer.errors ?? []).toEqual([]);
    return answer.data?.outreachRequest.targets ?? [];
  };
  const create = async (targets: string[], overrides: Record<string, unknown> = {}) => {
    const created = await ask<{ createOutreachRequest: { id: string; status: string; contentHash: string; targets: { brandId: string; status: string }[] } }>(
      PIESHOP_ANALYST,
      CREATE,
      {
        input: {
          targetBrandIds: targets,
          expression: EXPRESSION,
          channel: "EMAIL",
          subject: "{{firstName}}, a pie on us",
          message: "Hello {{firstName}},\nyour code: {{coupon}}\nPaiPai Pie Shop",
          purpose: "New-member welcome",
          maxRecipientsPerBrand: 500,
          expiresAt: inDays(7),
          ...overrides,
        },
      },
    );
    expect(created.errors ?? []).toEqual([]);
    const request = created.data?.createOutreachRequest;
    if (!request) throw new Error("no request created");
    expect(request.targets.map((target) => target.status)).toEqual(targets.map(() => "PENDING"));
    expect(request.status).toBe("OPEN");
    return request;
  };
  /** The owner's approver reads its node's copy through the gateway, once the node has pulled it. */
  const ownersCopy = (claims: DevTokenClaims, id: string) =>
    eventually(async () => {
      const answer = await ask<{ outreachRequest: { targets: { brandId: string; copy: { contentHash: string } | null }[] } }>(claims, COPY, { id });
      expect(answer.errors ?? []).toEqual([]);
      return answer.data?.outreachRequest.targets.find((target) => target.brandId === claims.brand)?.copy ?? undefined;
    }, 60_000);
  const decide = (claims: DevTokenClaims, variables: Record<string, unknown>) => ask<{ decideOutreachRequest: { brandId: string; status: string; reason: string | null } }>(claims, DECIDE, variables);
  /** Every message the sink holds for one request of teabar's, by the Message-ID its node fixed. */
  const arrivedFor = async (requestId: string) => {
    const keys = new Set((await recipientsOf(stack, "teabar", requestId)).map((r) => `<${r.message_key}@teabar.example>`));
    return (await sinkEmails(mail.dir)).filter((email) => keys.has(email.messageId));
  };
  /** The noisy figure teabar's node must release for `figure` in release `release`. */
  const expectedFigure = (requestId: string, figure: string, release: number, exact: number) =>
    releaseCount({
      secret: stack.keys.nodes.teabar?.secret as string,
      questionKey: `outreach-results:${requestId}:${figure}`,
      period: `release-${release}`,
      exact,
      epsilon: parseEpsilon("0.1"),
      threshold: K,
    }).count;
  const allPages = async (read: (after: string | null) => Promise<Page | undefined>) => {
    let after: string | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const page = await read(after);
      if (!page?.pageInfo.hasNextPage) return;
      after = page.pageInfo.endCursor;
    }
    throw new Error("too many pages");
  };

  let campaignId = "";
  let received: Awaited<ReturnType<typeof sinkEmails>> = [];
  const startedAt = performance.now();

  it("teabar approves with a cap below its consenting audience, stylehub declines; teabar's node emails exactly the cap, one coupon each, only to consenting matching members", async () => {
    const campaign = await create(["teabar", "stylehub"]);
    campaignId = campaign.id;

    // The audience an independent oracle sees at teabar: the tags by key, consent and an address.
    const matching = await stack.sql<{ seq: number; email: string | null; consent_email: boolean }>(
      "teabar",
      `SELECT m.seq, m.email, m.consent_email FROM members m
       WHERE (SELECT array_agg(d.key) FROM tag_dictionary d WHERE d.id = ANY(m.tag_ids)) @> ARRAY['age:25-34', 'lifecycle:new']`,
    );
    const consenting = matching.filter((member) => member.consent_email && member.email !== null);
    expect(consenting.length).toBeGreaterThan(CAP);
    expect(matching.length).toBeGreaterThan(consenting.length); // some matching members did not consent

    // Each approver decides on the hash of its own node's copy.
    const teabarCopy = await ownersCopy(TEABAR_APPROVER, campaignId);
    expect(teabarCopy.contentHash).toBe(campaign.contentHash);
    const stylehubCopy = await ownersCopy(STYLEHUB_APPROVER, campaignId);
    const approved = await decide(TEABAR_APPROVER, { requestId: campaignId, contentHash: teabarCopy.contentHash, decision: "APPROVE", cap: CAP });
    expect(approved.errors ?? []).toEqual([]);
    expect(approved.data?.decideOutreachRequest).toEqual({ brandId: "teabar", status: "APPROVED", reason: null });
    const declined = await decide(STYLEHUB_APPROVER, { requestId: campaignId, contentHash: stylehubCopy.contentHash, decision: "DECLINE", reason: DECLINE_REASON });
    expect(declined.errors ?? []).toEqual([]);
    expect(declined.data?.decideOutreachRequest).toEqual({ brandId: "stylehub", status: "DECLINED", reason: DECLINE_REASON });
    // pieshop cannot decide for teabar (the refusal is among what it saw, checked for personal data below).
    const usurped = await decide({ brand: "pieshop", role: "approver" }, { requestId: campaignId, contentHash: campaign.contentHash, decision: "APPROVE" });
    expect(usurped.errors?.length ?? 0).toBeGreaterThan(0);

    // pieshop follows the statuses through the gateway until teabar's node has sent.
    const targets = await eventually(async () => {
      const seen = await targetsFor(PIESHOP_ANALYST, campaignId);
      return seen.find((target) => target.brandId === "teabar")?.status === "SENT" ? seen : undefined;
    }, 120_000);
    expect(targets.map(({ brandId, status, reason, copy }) => ({ brandId, status, reason, copy }))).toEqual([
      { brandId: "stylehub", status: "DECLINED", reason: null, copy: null },
      { brandId: "teabar", status: "SENT", reason: null, copy: null },
    ]);
    for (const target of targets) expect(target.statusAt).toMatch(/T\d\d:00:00(\.000)?Z$/);
    // The request as a whole: every target done (sent or declined).
    // The request as a whole, summed up from the coordinator's copy of the statuses (pushed by the
    // nodes, so it may trail the nodes' own answer by a push): every target done, sent or declined.
    const whole = await eventually(async () => {
      const answer = await ask<{ outreachRequest: { status: string } }>(PIESHOP_ANALYST, "query($id: ID!) { outreachRequest(id: $id) { status } }", { id: campaignId });
      return answer.data?.outreachRequest.status === "CLOSED" ? answer.data.outreachRequest.status : undefined;
    }, 60_000);
    expect(whole).toBe("CLOSED");

    // What arrived at the SMTP server: the cap's worth, nothing more (stylehub sent nothing).
    received = await eventually(async () => {
      const all = await sinkEmails(mail.dir);
      return all.length >= CAP ? all : undefined;
    }, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // nothing trails in after SENT
    received = await sinkEmails(mail.dir);
    expect(received).toHaveLength(CAP);
    expect(received.every((email) => email.messageId.endsWith("@teabar.example>"))).toBe(true);
    const coupons = received.map((email) => COUPON.exec(email.raw)?.[1]);
    expect(coupons.every((code) => code !== undefined)).toBe(true);
    expect(new Set(coupons).size).toBe(CAP);
    const addresses = received.map((email) => /<?([^<>\s]+@[^<>\s]+)>?$/.exec(email.to)?.[1]);
    expect(new Set(addresses).size).toBe(CAP);
    const byEmail = new Map(matching.map((member) => [member.email, member]));
    for (const address of addresses) {
      const member = byEmail.get(address ?? "");
      // Each went to a member matching the expression who consented to partner email.
      expect(member, `${address} matches the expression`).toBeDefined();
      expect(member?.consent_email, `${address} consented`).toBe(true);
    }
    // ... and each carries the coupon the owner's node issued to that member.
    const recipients = await recipientsOf(stack, "teabar", campaignId);
    expect(recipients).toHaveLength(CAP);
    for (const r of recipients) {
      const email = received.find((e) => e.messageId === `<${r.message_key}@teabar.example>`);
      expect(email?.to).toContain(r.email as string);
      expect(email?.raw).toContain(`your code: ${r.coupon_code}`);
    }
    expect(await recipientsOf(stack, "stylehub", campaignId)).toEqual([]);
  }, 300_000);

  it("pieshop sees the noisy results once released, and nothing for the declined target", async () => {
    const targets = await eventually(async () => {
      const seen = await targetsFor(PIESHOP_ANALYST, campaignId);
      return seen.find((target) => target.brandId === "teabar")?.results ? seen : undefined;
    }, 90_000);
    const teabar = targets.find((target) => target.brandId === "teabar");
    expect(teabar?.results).toEqual({
      contacted: expectedFigure(campaignId, "contacted", 1, CAP),
      delivered: expectedFigure(campaignId, "delivered", 1, CAP),
      failed: expectedFigure(campaignId, "failed", 1, 0),
      redeemed: expectedFigure(campaignId, "redeemed", 1, 0),
      margin95: 30,
      threshold: K,
      releaseNumber: 1,
      releasedAt: expect.stringMatching(/T\d\d:00:00(\.000)?Z$/),
    });
    expect(targets.find((target) => target.brandId === "stylehub")?.results).toBeNull();
    // The owner's node released from its exact figures; only the noisy ones left it.
    expect(
      await stack.sql("teabar", "SELECT exact_contacted, exact_delivered, exact_failed, exact_redeemed FROM outreach_result_releases WHERE request_id = $1", [campaignId]),
    ).toEqual([{ exact_contacted: CAP, exact_delivered: CAP, exact_failed: 0, exact_redeemed: 0 }]);
    console.log(`[campaign] released to pieshop: ${JSON.stringify(teabar?.results)}`);
    const outgoing = await ask<{ outreachRequests: { edges: { node: { id: string; targets: { brandId: string; status: string; reason: string | null }[] } }[] } }>(PIESHOP_ANALYST, OUTGOING);
    expect(outgoing.errors ?? []).toEqual([]);
    expect(outgoing.data?.outreachRequests.edges.find((edge) => edge.node.id === campaignId)?.node.targets).toEqual([
      { brandId: "stylehub", status: "DECLINED", reason: null },
      { brandId: "teabar", status: "SENT", reason: null },
    ]);
  }, 120_000);

  it("pieshop redeems a coupon from a message that arrived: valid once, then refused, never naming teabar", async () => {
    const code = COUPON.exec(received[0]?.raw ?? "")?.[1] as string;
    const first = await ask<{ redeemCoupon: { valid: boolean; reason: string | null } }>(PIESHOP_ANALYST, REDEEM, { id: campaignId, code });
    expect(first.errors ?? []).toEqual([]);
    expect(first.data?.redeemCoupon).toEqual({ valid: true, reason: null });
    const again = await ask<{ redeemCoupon: { valid: boolean; reason: string | null } }>(PIESHOP_ANALYST, REDEEM, { id: campaignId, code });
    expect(again.data?.redeemCoupon).toEqual({ valid: false, reason: "ALREADY_REDEEMED" });
    const redeemed = await stack.sql<{ coupon_code: string }>("teabar", "SELECT coupon_code FROM outreach_recipients WHERE request_id = $1 AND redeemed_at IS NOT NULL", [campaignId]);
    expect(redeemed).toEqual([{ coupon_code: code }]);
    for (const answer of [first, again]) expect(JSON.stringify(answer)).not.toMatch(/teabar|Leaf Tea|一叶/i);
  }, 60_000);

  it("a second request approved while teabar's quiet hours cover now sends nothing until they end", async () => {
    const node = stack.nodes.get("teabar");
    if (!node) throw new Error("no teabar node");
    node.env.QUIET_HOURS = quietAroundNow();
    await stack.restartNode("teabar");
    const before = (await sinkEmails(mail.dir)).length;

    const second = await create(["teabar"], { subject: "Another pie, {{firstName}}" });
    const copy = await ownersCopy(TEABAR_APPROVER, second.id);
    const approved = await decide(TEABAR_APPROVER, { requestId: second.id, contentHash: copy.contentHash, decision: "APPROVE", cap: 5 });
    expect(approved.data?.decideOutreachRequest.status).toBe("APPROVED");
    await eventually(async () => ((await targetsFor(PIESHOP_ANALYST, second.id))[0]?.status === "APPROVED" ? true : undefined), 60_000);
    // Many start polls (one a second) pass inside the quiet hours: nobody selected, nothing sent.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect((await targetsFor(PIESHOP_ANALYST, second.id))[0]?.status).toBe("APPROVED");
    expect(await recipientsOf(stack, "teabar", second.id)).toEqual([]);
    expect(await sinkEmails(mail.dir)).toHaveLength(before);

    // The quiet hours end (the node restarts without them): the send goes out, to the cap.
    node.env.QUIET_HOURS = "none";
    await stack.restartNode("teabar");
    await eventually(async () => ((await targetsFor(PIESHOP_ANALYST, second.id))[0]?.status === "SENT" ? true : undefined), 120_000);
    expect(await eventually(async () => ((await arrivedFor(second.id)).length === 5 ? 5 : undefined), 60_000)).toBe(5);
    expect(await sinkEmails(mail.dir)).toHaveLength(before + 5);
  }, 300_000);

  it("no answer, error or audit event pieshop can read holds anything of teabar's members or the decline reason", async () => {
    // What pieshop's auditor reads: the coordinator's log (all pages) and its own node's; and
    // its attempt at teabar's log, whatever the answer.
    await allPages(async (after) => (await ask<{ auditEvents: Page }>(PIESHOP_AUDITOR, COORDINATOR_EVENTS, { after })).data?.auditEvents);
    await allPages(async (after) => (await ask<{ brand: { auditEvents: Page } | null }>(PIESHOP_AUDITOR, NODE_EVENTS, { id: "pieshop", after })).data?.brand?.auditEvents);
    await ask(PIESHOP_AUDITOR, NODE_EVENTS, { id: "teabar", after: null });
    await ask(PIESHOP_AUDITOR, RECONCILE, { id: campaignId });
    // ... and a few refusals: an invented coupon, cancelling what was sent, a request that is not there.
    expect((await ask<{ redeemCoupon: unknown }>(PIESHOP_ANALYST, REDEEM, { id: campaignId, code: "0000000000000" })).data?.redeemCoupon).toEqual({ valid: false, reason: "UNKNOWN" });
    const cancel = await ask(PIESHOP_ANALYST, "mutation($id: ID!) { cancelOutreachRequest(requestId: $id) { id status } }", { id: campaignId });
    expect(cancel.errors?.map((error) => error.extensions?.code)).toEqual(["CONFLICT"]);
    expect((await ask(PIESHOP_ANALYST, VIEW, { id: "00000000-0000-0000-0000-000000000000" })).errors?.length ?? 0).toBeGreaterThan(0);
    expect(seenByPieshop.length).toBeGreaterThan(20);
    const events = seenByPieshop.filter((text) => text.includes('"auditEvents"')).join("\n");
    expect(events).toContain(campaignId); // the auditor did read the request's events

    const members = await stack.sql<{ id: string; external_id: string; name: string; phone: string | null; email: string | null; address: string | null }>(
      "teabar",
      "SELECT id::text, external_id, name, phone, email, address FROM members",
    );
    expect(members.length).toBe(2_000);
    const secrets = members.flatMap((m) => [m.id, m.external_id, m.name, m.phone ?? "", m.email ?? "", m.address ?? "", memberGlobalId("teabar", m.id)]);
    const find = secretFinder([...secrets, DECLINE_REASON]);
    expect(seenByPieshop.flatMap((text) => find(text))).toEqual([]);
    // The search finds what it looks for (a test that cannot fail proves nothing).
    expect(find(`{"x":"${members[7]?.email}"}`)).toEqual([members[7]?.email]);
  }, 120_000);

  it("a platform auditor reconciles the request and verifies both chains", async () => {
    const reconciled = await eventually(async () => {
      const answer = await stack.ask<{ reconcileOutreachRequest: { ok: boolean; mismatches: string[] } }>(PLATFORM_AUDITOR, RECONCILE, { id: campaignId });
      expect(answer.errors ?? []).toEqual([]);
      return answer.data?.reconcileOutreachRequest.ok ? answer.data.reconcileOutreachRequest : undefined;
    }, 60_000).catch(async () => (await stack.ask<{ reconcileOutreachRequest: unknown }>(PLATFORM_AUDITOR, RECONCILE, { id: campaignId })).data?.reconcileOutreachRequest);
    expect(reconciled).toEqual({ ok: true, mismatches: [] });

    const platform = await stack.ask<{ verifyAuditChain: { ok: boolean; firstBrokenEventId: string | null } }>(PLATFORM_AUDITOR, "{ verifyAuditChain { ok firstBrokenEventId } }");
    expect(platform.errors ?? []).toEqual([]);
    expect(platform.data?.verifyAuditChain).toEqual({ ok: true, firstBrokenEventId: null });
    for (const brandId of ["teabar", "stylehub"]) {
      const node = await stack.ask<{ brand: { verifyAuditChain: { ok: boolean; checked: number; firstBrokenEventId: string | null; headsChecked: number | null } } }>(
        PLATFORM_AUDITOR,
        VERIFY_NODE,
        { id: brandId },
      );
      expect(node.errors ?? []).toEqual([]);
      expect(node.data?.brand.verifyAuditChain).toMatchObject({ ok: true, firstBrokenEventId: null });
      expect(node.data?.brand.verifyAuditChain.checked).toBeGreaterThan(0);
      expect(node.data?.brand.verifyAuditChain.headsChecked).toBeGreaterThan(0);
    }
    console.log(`[campaign] request to reconciled, verified chains: ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  }, 120_000);
});
