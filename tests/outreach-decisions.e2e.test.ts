import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpSink } from "@brandpool/sinks";
import type { SmtpSink } from "@brandpool/sinks";
import { importPrivateKey, mintNodeClientToken } from "@brandpool/tokens";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import type { DevTokenClaims } from "@brandpool/stack";

// The outreach issue's third step: each target's owner decides at its own node, against the
// stored content hash, and its node pushes the status to the coordinator, which accepts it only
// from that brand's node. The requester sees APPROVED or DECLINED and never the owner's reason.

const PIESHOP_ANALYST = { brand: "pieshop", role: "analyst" } as const;
const PIESHOP_APPROVER = { brand: "pieshop", role: "approver" } as const;
const TEABAR_APPROVER = { brand: "teabar", role: "approver" } as const;
const TEABAR_ANALYST = { brand: "teabar", role: "analyst" } as const;
const STYLEHUB_APPROVER = { brand: "stylehub", role: "approver" } as const;
const APPROVER_EMAIL = "approver@teabar.example";

const CREATE = "mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id contentHash targets { brandId status } } }";
const DECIDE = `mutation($requestId: ID!, $contentHash: String!, $decision: OutreachDecision!, $reason: String, $cap: Int) {
  decideOutreachRequest(requestId: $requestId, contentHash: $contentHash, decision: $decision, reason: $reason, cap: $cap) { brandId status reason } }`;
const REQUEST = "query($id: ID!) { outreachRequest(id: $id) { id message subject contentHash maxRecipientsPerBrand targets { brandId status reason } } }";
const INCOMING = `query($status: [TargetStatus!]) { outreachRequests(direction: INCOMING, status: $status, first: 100) {
  edges { node { id message subject contentHash targets { brandId status } } } } }`;
const COPY = "query($id: ID!) { outreachRequest(id: $id) { targets { brandId copy { message subject contentHash maxRecipients approvedCap } } } }";
const CANCEL = "mutation($requestId: ID!) { cancelOutreachRequest(requestId: $requestId) { id status } }";
const RECORD = "mutation($events: [NodeEventInput!]!) { recordNodeEvents(events: $events) { recorded outcomes { id status reason message } } }";

type Target = { brandId: string; status: string | null; reason: string | null };
type RequestView = { id: string; message: string; subject: string | null; contentHash: string; maxRecipientsPerBrand: number; targets: Target[] };
type Decision = { brandId: string; status: string; reason: string | null };
type Outcome = { id: string; status: string; reason: string | null; message: string | null };

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const codes = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => response.errors?.map((error) => error.extensions?.code);

function emailRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    targetBrandIds: ["teabar", "stylehub"],
    expression: "age:25-34 and lifecycle:new",
    channel: "EMAIL",
    subject: "{{firstName}}, a pie on us",
    message: "Hello {{firstName}}, show code {{coupon}} at any PaiPai shop: https://pie.example/offer",
    purpose: "New-member welcome",
    maxRecipientsPerBrand: 500,
    sendAfter: inDays(1),
    expiresAt: inDays(7),
    ...overrides,
  };
}

describe("owners' decisions on outreach requests", () => {
  let stack: TestStack;
  let sink: SmtpSink;
  let sinkDir: string;

  beforeAll(async () => {
    sinkDir = await mkdtemp(join(tmpdir(), "bp-approver-mail-"));
    sink = await startSmtpSink({ dir: sinkDir });
    stack = await startTestStack({
      nodeEnv: (brandId): Record<string, string> =>
        brandId === "teabar"
          ? {
              OUTREACH_LINK_DOMAINS: "pie.example",
              OUTREACH_EXPIRE_SECONDS: "1",
              APPROVER_EMAIL,
              NOTIFY_SMTP_URL: sink.url,
              NOTIFY_SECONDS: "1",
            }
          : { OUTREACH_EXPIRE_SECONDS: "1" },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.close();
    await rm(sinkDir, { recursive: true, force: true });
  });

  const create = async (overrides: Record<string, unknown> = {}) => {
    const created = await stack.ask<{ createOutreachRequest: { id: string; contentHash: string; targets: Target[] } }>(PIESHOP_ANALYST, CREATE, {
      input: emailRequest(overrides),
    });
    expect(created.errors).toEqual([]);
    return created.data?.createOutreachRequest as { id: string; contentHash: string; targets: Target[] };
  };
  const copyAt = async (brandId: string, requestId: string) =>
    (
      await stack.sql<{ status: string; approved_cap: number | null; decided_by: string | null; decline_reason: string | null; version: number }>(
        brandId,
        "SELECT status, approved_cap, decided_by, decline_reason, version FROM incoming_requests WHERE request_id = $1",
        [requestId],
      )
    )[0];
  const stored = (brandId: string, requestId: string) => eventually(async () => (await copyAt(brandId, requestId)) ?? undefined);
  const coordinatorTarget = async (requestId: string, brandId: string) =>
    (
      await stack.sql<{ status: string; reported_status: string | null }>(
        "coordinator",
        "SELECT status, reported_status FROM outreach_targets WHERE request_id = $1 AND brand_id = $2",
        [requestId, brandId],
      )
    )[0];
  const pushed = (requestId: string, brandId: string, status: string) =>
    eventually(async () => ((await coordinatorTarget(requestId, brandId))?.status === status ? true : undefined));
  const decide = (claims: DevTokenClaims, variables: Record<string, unknown>) => stack.ask<{ decideOutreachRequest: Decision }>(claims, DECIDE, variables);
  const view = async (claims: DevTokenClaims, id: string) => {
    const answer = await stack.ask<{ outreachRequest: RequestView }>(claims, REQUEST, { id });
    expect(answer.errors ?? []).toEqual([]);
    return answer.data?.outreachRequest as RequestView;
  };
  /** Everything a refusal must leave alone at the owner's node: its copy, its log, its budgets. */
  const nodeState = async (brandId: string, requestId: string) => ({
    copy: await copyAt(brandId, requestId),
    // Denials are logged too (the test looks for them); anything else would be a change.
    events: await stack.sql(brandId, "SELECT count(*)::int AS n FROM audit_events WHERE type <> 'policy.denied'"),
    outbox: await stack.sql(brandId, "SELECT count(*)::int AS n FROM coordinator_outbox"),
    quota: await stack.sql(brandId, "SELECT requester_brand, period, epsilon_spent::text FROM privacy_quota_usage ORDER BY 1, 2"),
    pool: await stack.sql(brandId, "SELECT period, epsilon_spent::text FROM privacy_pool_usage ORDER BY 1"),
    spend: await stack.sql(brandId, "SELECT count(*)::int AS n FROM privacy_spend"),
  });
  const nodeToken = async (brandId: string) => {
    const key = stack.keys.nodes[brandId]?.key;
    if (!key) throw new Error(`no node key for ${brandId}`);
    return mintNodeClientToken(await importPrivateKey(key), key.kid ?? "node", brandId);
  };

  let campaign: { id: string; contentHash: string };
  const DECLINE_REASON = "Not our season: autumn tea launches first";

  it("teabar's approver reads the stored request and approves it with a cap; stylehub's declines with a reason; pieshop sees APPROVED and DECLINED, never the reason", async () => {
    campaign = await create();
    // At once, before any node pulled it: every target PENDING (a node without its copy yet says so).
    expect((campaign as { targets?: Target[] }).targets).toEqual([
      { brandId: "stylehub", status: "PENDING" },
      { brandId: "teabar", status: "PENDING" },
    ]);
    await stored("teabar", campaign.id);
    await stored("stylehub", campaign.id);

    // The approvers' incoming lists hold the request, with what they decide on.
    const incoming = await stack.ask<{ outreachRequests: { edges: { node: RequestView }[] } }>(TEABAR_APPROVER, INCOMING, { status: ["PENDING"] });
    expect(incoming.errors ?? []).toEqual([]);
    const listed = incoming.data?.outreachRequests.edges.find((edge) => edge.node.id === campaign.id)?.node;
    expect(listed).toMatchObject({ contentHash: campaign.contentHash, subject: "{{firstName}}, a pie on us" });
    expect(listed?.message).toContain("https://pie.example/offer");
    expect(listed?.targets).toEqual([{ brandId: "teabar", status: "PENDING" }]);

    // ... and the copy its own node holds, which is what its node would send.
    type Copies = { outreachRequest: { targets: { brandId: string; copy: Record<string, unknown> | null }[] } };
    const own = await stack.ask<Copies>(TEABAR_APPROVER, COPY, { id: campaign.id });
    expect(own.errors ?? []).toEqual([]);
    expect(own.data?.outreachRequest.targets).toEqual([
      { brandId: "teabar", copy: { message: listed?.message, subject: listed?.subject, contentHash: campaign.contentHash, maxRecipients: 500, approvedCap: null } },
    ]);
    const requesterCopy = await stack.ask<Copies>(PIESHOP_ANALYST, COPY, { id: campaign.id });
    expect(requesterCopy.data?.outreachRequest.targets.map((target) => target.copy)).toEqual([null, null]);

    const decidedAt = performance.now();
    const approved = await decide(TEABAR_APPROVER, { requestId: campaign.id, contentHash: listed?.contentHash, decision: "APPROVE", cap: 120 });
    const decisionMs = performance.now() - decidedAt;
    expect(approved.errors ?? []).toEqual([]);
    expect(approved.data?.decideOutreachRequest).toEqual({ brandId: "teabar", status: "APPROVED", reason: null });
    expect(await copyAt("teabar", campaign.id)).toMatchObject({ status: "APPROVED", approved_cap: 120, decided_by: "teabar-approver@dev" });
    // The results' epsilon is reserved in the same transaction, under its own key.
    expect(await stack.sql("teabar", "SELECT requester_brand, epsilon::text FROM privacy_spend WHERE question_key = $1", [`outreach-results:${campaign.id}`])).toEqual([
      { requester_brand: "pieshop", epsilon: "1" },
    ]);

    const declined = await decide(STYLEHUB_APPROVER, { requestId: campaign.id, contentHash: campaign.contentHash, decision: "DECLINE", reason: DECLINE_REASON });
    expect(declined.errors ?? []).toEqual([]);
    expect(declined.data?.decideOutreachRequest).toEqual({ brandId: "stylehub", status: "DECLINED", reason: DECLINE_REASON });
    expect(await copyAt("stylehub", campaign.id)).toMatchObject({ status: "DECLINED", decline_reason: DECLINE_REASON, approved_cap: null });

    // Each node pushes its status; the coordinator applies it to that brand's target only.
    await pushed(campaign.id, "teabar", "APPROVED");
    const pushedMs = performance.now() - decidedAt;
    await pushed(campaign.id, "stylehub", "DECLINED");
    // A figure to report, not to assert.
    console.log(`[decisions] approval through the gateway ${decisionMs.toFixed(0)} ms; at the coordinator ${pushedMs.toFixed(0)} ms after it was asked`);
    const approvedList = await stack.ask<{ outreachRequests: { edges: { node: RequestView }[] } }>(TEABAR_APPROVER, INCOMING, { status: ["APPROVED"] });
    expect(approvedList.data?.outreachRequests.edges.map((edge) => edge.node.id)).toContain(campaign.id);
    const pendingList = await stack.ask<{ outreachRequests: { edges: { node: RequestView }[] } }>(TEABAR_APPROVER, INCOMING, { status: ["PENDING"] });
    expect(pendingList.data?.outreachRequests.edges.map((edge) => edge.node.id)).not.toContain(campaign.id);

    // The requester: each status from that owner's node, through the gateway; no reason.
    const seen = await view(PIESHOP_ANALYST, campaign.id);
    expect(seen.targets).toEqual([
      { brandId: "stylehub", status: "DECLINED", reason: null },
      { brandId: "teabar", status: "APPROVED", reason: null },
    ]);
    // The owner sees its own reason.
    expect((await view(STYLEHUB_APPROVER, campaign.id)).targets).toEqual([{ brandId: "stylehub", status: "DECLINED", reason: DECLINE_REASON }]);
    expect((await view(TEABAR_APPROVER, campaign.id)).targets).toEqual([{ brandId: "teabar", status: "APPROVED", reason: null }]);

    // Nowhere the requester can look holds the reason: not its view, not the coordinator's log,
    // whose decline event is the same whoever (or whatever rule) declined.
    const platformLog = await stack.sql<{ type: string; actor: Record<string, unknown>; payload: Record<string, unknown> }>(
      "coordinator",
      "SELECT type, actor, payload FROM audit_events WHERE payload->>'requestId' = $1 ORDER BY seq",
      [campaign.id],
    );
    expect(JSON.stringify(await stack.sql("coordinator", "SELECT * FROM audit_events"))).not.toContain("autumn tea");
    const stylehubEvent = platformLog.find((event) => event.type === "node.outreach.status" && event.payload.status === "DECLINED");
    expect(stylehubEvent?.actor).toMatchObject({ kind: "node", brand: "stylehub" });
    expect(Object.keys(stylehubEvent?.payload ?? {}).sort()).toEqual(["nodeEventId", "requestId", "requester", "status"]);
  });

  it("refuses a teabar analyst (gateway Cedar, audited) and a pieshop approver (its own node holds no such request), and changes nothing", async () => {
    const request = await create();
    await stored("teabar", request.id);
    const before = await nodeState("teabar", request.id);
    const analyst = await decide(TEABAR_ANALYST, { requestId: request.id, contentHash: request.contentHash, decision: "APPROVE" });
    expect(codes(analyst)).toEqual(["FORBIDDEN"]);
    // The gateway reports its denials to the coordinator's log as it answers.
    const denials = await eventually(async () => {
      const rows = await stack.sql<{ payload: Record<string, unknown>; subject: Record<string, unknown> }>(
        "coordinator",
        "SELECT payload, subject FROM audit_events WHERE type = 'policy.denied' AND actor->>'subject' = 'teabar-analyst@dev' AND payload->>'action' = 'DecideOutreach'",
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(denials).toHaveLength(1);
    expect(denials[0]?.subject).toEqual({ kind: "brand", brand: "teabar" });
    // ... and the owner's node keeps it in its own log.
    await eventually(async () => {
      const rows = await stack.sql("teabar", "SELECT 1 FROM audit_events WHERE type = 'policy.denied' AND actor->>'subject' = 'teabar-analyst@dev' AND payload->>'action' = 'DecideOutreach'");
      return rows.length === 1 ? true : undefined;
    });

    // A root mutation runs on the caller's own node: pieshop's holds no copy of it.
    const pieshop = await decide(PIESHOP_APPROVER, { requestId: request.id, contentHash: request.contentHash, decision: "APPROVE" });
    expect(codes(pieshop)).toEqual(["NOT_FOUND"]);
    const pieshopAnalyst = await decide(PIESHOP_ANALYST, { requestId: request.id, contentHash: request.contentHash, decision: "DECLINE" });
    expect(codes(pieshopAnalyst)).toEqual(["FORBIDDEN"]);
    expect(await nodeState("teabar", request.id)).toEqual(before);
    expect((await coordinatorTarget(request.id, "teabar"))?.status).toBe("PENDING");
  });

  it("refuses a decision against another content hash, a cap out of range, a cap on a decline, and changes nothing", async () => {
    const request = await create();
    await stored("teabar", request.id);
    const before = await nodeState("teabar", request.id);
    const otherHash = await decide(TEABAR_APPROVER, { requestId: request.id, contentHash: campaign.contentHash, decision: "APPROVE" });
    expect(codes(otherHash)).toEqual(["CONFLICT"]);
    expect(otherHash.errors?.[0]?.extensions?.details).toMatchObject({ reason: "HASH_MISMATCH" });
    for (const cap of [0, -5, 501]) {
      const out = await decide(TEABAR_APPROVER, { requestId: request.id, contentHash: request.contentHash, decision: "APPROVE", cap });
      expect(codes(out), `cap ${cap}`).toEqual(["BAD_INPUT"]);
      expect(out.errors?.[0]?.extensions?.details).toMatchObject({ fields: [{ field: "cap" }] });
    }
    const capOnDecline = await decide(TEABAR_APPROVER, { requestId: request.id, contentHash: request.contentHash, decision: "DECLINE", cap: 10 });
    expect(codes(capOnDecline)).toEqual(["BAD_INPUT"]);
    const unknown = await decide(TEABAR_APPROVER, { requestId: randomUUID(), contentHash: request.contentHash, decision: "APPROVE" });
    expect(codes(unknown)).toEqual(["NOT_FOUND"]);
    expect(await nodeState("teabar", request.id)).toEqual(before);

    // The full cap is the requested maximum; a decided request cannot be decided again.
    const full = await decide(TEABAR_APPROVER, { requestId: request.id, contentHash: request.contentHash, decision: "APPROVE", cap: 500 });
    expect(full.data?.decideOutreachRequest.status).toBe("APPROVED");
    const again = await decide(TEABAR_APPROVER, { requestId: request.id, contentHash: request.contentHash, decision: "DECLINE" });
    expect(codes(again)).toEqual(["CONFLICT"]);
    expect(again.errors?.[0]?.extensions?.details).toMatchObject({ reason: "NOT_PENDING" });
  });

  it("refuses to approve a message that links outside teabar's allowed domains, naming the rule, and changes nothing", async () => {
    const request = await create({ message: "Hello {{firstName}}, code {{coupon}}: https://pie.example/a and https://tracker.example/b" });
    await stored("teabar", request.id);
    const before = await nodeState("teabar", request.id);
    const refused = await decide(TEABAR_APPROVER, { requestId: request.id, contentHash: request.contentHash, decision: "APPROVE" });
    expect(codes(refused)).toEqual(["BAD_INPUT"]);
    expect(refused.errors?.[0]?.extensions?.details).toEqual({ reason: "LINK_DOMAIN_NOT_ALLOWED", rule: "OUTREACH_LINK_DOMAINS", domains: ["tracker.example"] });
    expect(refused.errors?.[0]?.message).toContain("tracker.example");
    expect(await nodeState("teabar", request.id)).toEqual(before);
    // Declining it is still possible: the list rules what is sent, not what is refused.
    const declined = await decide(TEABAR_APPROVER, { requestId: request.id, contentHash: request.contentHash, decision: "DECLINE" });
    expect(declined.data?.decideOutreachRequest).toEqual({ brandId: "teabar", status: "DECLINED", reason: null });
  });

  it("refuses an approval whose results pieshop's budget at teabar cannot cover (BUDGET_EXHAUSTED, telling the approver), and changes nothing", async () => {
    const request = await create();
    await stored("teabar", request.id);
    const [spent] = await stack.sql<{ spent: string }>("teabar", "SELECT COALESCE(sum(epsilon_spent), 0)::text AS spent FROM privacy_quota_usage WHERE requester_brand = 'pieshop'");
    // The owner's own setting: pieshop may spend 0.5 more this period, less than the 1.0 reserved.
    await stack.sql("teabar", "INSERT INTO privacy_quotas (requester_brand, epsilon_total) VALUES ('pieshop', $1::numeric + 0.5)", [spent?.spent ?? "0"]);
    try {
      const before = await nodeState("teabar", request.id);
      const refused = await decide(TEABAR_APPROVER, { requestId: request.id, contentHash: request.contentHash, decision: "APPROVE" });
      expect(codes(refused)).toEqual(["BUDGET_EXHAUSTED"]);
      expect(refused.errors?.[0]?.message).toMatch(/partner's privacy budget .* cannot cover the results/);
      expect(await nodeState("teabar", request.id)).toEqual(before);
      expect(before.copy?.status).toBe("PENDING");
    } finally {
      await stack.sql("teabar", "DELETE FROM privacy_quotas WHERE requester_brand = 'pieshop'");
    }
  });

  it("expires a PENDING request past its expiry at the node (EXPIRED, pushed), after which it cannot be decided", async () => {
    const request = await create({ sendAfter: undefined, expiresAt: new Date(Date.now() + 6_000).toISOString() });
    await stored("teabar", request.id);
    await eventually(async () => ((await copyAt("teabar", request.id))?.status === "EXPIRED" ? true : undefined));
    await pushed(request.id, "teabar", "EXPIRED");
    await pushed(request.id, "stylehub", "EXPIRED");
    const before = await nodeState("teabar", request.id);
    const late = await decide(TEABAR_APPROVER, { requestId: request.id, contentHash: request.contentHash, decision: "APPROVE" });
    expect(codes(late)).toEqual(["CONFLICT"]);
    expect(await nodeState("teabar", request.id)).toEqual(before);
    const events = await stack.sql<{ type: string; actor: Record<string, unknown> }>("teabar", "SELECT type, actor FROM audit_events WHERE subject->>'id' = $1 ORDER BY seq", [request.id]);
    expect(events.map((event) => event.type)).toEqual(["outreach.received", "outreach.expired"]);
  });

  it("a cancellation of an APPROVED request reaches teabar's node: its copy CANCELLED, pushed back", async () => {
    const request = await create({ targetBrandIds: ["teabar"] });
    await stored("teabar", request.id);
    const approved = await decide(TEABAR_APPROVER, { requestId: request.id, contentHash: request.contentHash, decision: "APPROVE", cap: 50 });
    expect(approved.data?.decideOutreachRequest.status).toBe("APPROVED");
    await pushed(request.id, "teabar", "APPROVED");
    const cancelled = await stack.ask<{ cancelOutreachRequest: { id: string; status: string } }>(PIESHOP_ANALYST, CANCEL, { requestId: request.id });
    expect(cancelled.data?.cancelOutreachRequest).toEqual({ id: request.id, status: "CANCELLED" });
    await eventually(async () => ((await copyAt("teabar", request.id))?.status === "CANCELLED" ? true : undefined));
    expect(await copyAt("teabar", request.id)).toMatchObject({ version: 2, approved_cap: 50 });
    await eventually(async () => ((await coordinatorTarget(request.id, "teabar"))?.reported_status === "CANCELLED" ? true : undefined));
    expect((await view(PIESHOP_ANALYST, request.id)).targets).toEqual([{ brandId: "teabar", status: "CANCELLED", reason: null }]);
  });

  it("an approval teabar made before it heard of a cancellation does not undo the cancellation on its way to it", async () => {
    const request = await create({ targetBrandIds: ["teabar"] });
    await stored("teabar", request.id);
    await stack.nodes.get("teabar")?.stop();
    try {
      expect((await stack.ask(PIESHOP_ANALYST, CANCEL, { requestId: request.id })).errors ?? []).toEqual([]);
      // What teabar's node would push had its approver approved just before: its own target, forward.
      const approval = { id: randomUUID(), type: "outreach.status", payload: { requestId: request.id, requester: "pieshop", status: "APPROVED" } };
      const answer = await stack.ask<{ recordNodeEvents: { outcomes: Outcome[] } }>(await nodeToken("teabar"), RECORD, { events: [approval] });
      expect(answer.data?.recordNodeEvents.outcomes.map((outcome) => outcome.status)).toEqual(["ACCEPTED"]);
      expect(await coordinatorTarget(request.id, "teabar")).toEqual({ status: "CANCELLED", reported_status: "APPROVED" });
      type Inbox = { outreachInbox: { deliveries: { requestId: string; status: string; version: number }[] } };
      const inbox = await stack.ask<Inbox>(await nodeToken("teabar"), "{ outreachInbox { deliveries { requestId status version } } }");
      expect(inbox.data?.outreachInbox.deliveries.filter((delivery) => delivery.requestId === request.id)).toEqual([{ requestId: request.id, status: "CANCELLED", version: 2 }]);
    } finally {
      await stack.restartNode("teabar");
    }
    await eventually(async () => ((await copyAt("teabar", request.id))?.status === "CANCELLED" ? true : undefined));
    await eventually(async () => ((await coordinatorTarget(request.id, "teabar"))?.reported_status === "CANCELLED" ? true : undefined));
    expect((await coordinatorTarget(request.id, "teabar"))?.status).toBe("CANCELLED");
  });

  it("refuses an outreach.status that a node pushes for another brand's target, or backwards, and audits it", async () => {
    const teabarOnly = await create({ targetBrandIds: ["teabar"] });
    await stored("teabar", teabarOnly.id);
    const before = { teabarOnly: await coordinatorTarget(teabarOnly.id, "teabar"), campaign: await coordinatorTarget(campaign.id, "teabar") };
    const forged = [
      // stylehub is no target of this request: it cannot approve teabar's target.
      { id: randomUUID(), type: "outreach.status", payload: { requestId: teabarOnly.id, requester: "pieshop", status: "APPROVED" } },
      // stylehub is a target of the campaign, but names teabar's target.
      { id: randomUUID(), type: "outreach.status", payload: { requestId: campaign.id, requester: "pieshop", status: "SENT", brandId: "teabar" } },
      // Its own target, backwards: DECLINED -> APPROVED.
      { id: randomUUID(), type: "outreach.status", payload: { requestId: campaign.id, requester: "pieshop", status: "APPROVED" } },
      { id: randomUUID(), type: "outreach.status", payload: { requestId: campaign.id, status: "LAUNCHED" } },
    ];
    const answer = await stack.ask<{ recordNodeEvents: { recorded: number; outcomes: Outcome[] } }>(await nodeToken("stylehub"), RECORD, { events: forged });
    expect(answer.errors ?? []).toEqual([]);
    expect(answer.data?.recordNodeEvents.recorded).toBe(0);
    expect(answer.data?.recordNodeEvents.outcomes.map((outcome) => [outcome.status, outcome.reason])).toEqual([
      ["REFUSED", "NOT_A_TARGET"],
      ["REFUSED", "OTHER_BRAND"],
      ["REFUSED", "STALE_STATUS"],
      ["REFUSED", "BAD_PAYLOAD"],
    ]);
    expect({ teabarOnly: await coordinatorTarget(teabarOnly.id, "teabar"), campaign: await coordinatorTarget(campaign.id, "teabar") }).toEqual(before);
    expect((await coordinatorTarget(campaign.id, "stylehub"))?.status).toBe("DECLINED");
    const receipts = await stack.sql("coordinator", "SELECT id FROM node_event_receipts WHERE id = ANY($1::uuid[])", [forged.map((event) => event.id)]);
    expect(receipts).toEqual([]);
    const refusals = await stack.sql<{ actor: Record<string, unknown>; payload: Record<string, unknown> }>(
      "coordinator",
      "SELECT actor, payload FROM audit_events WHERE type = 'outreach.status_refused' AND payload->>'nodeEventId' = ANY($1::text[]) ORDER BY seq",
      [forged.map((event) => event.id)],
    );
    expect(refusals.map((event) => [event.actor.brand, event.payload.reason])).toEqual([
      ["stylehub", "NOT_A_TARGET"],
      ["stylehub", "OTHER_BRAND"],
      ["stylehub", "STALE_STATUS"],
      ["stylehub", "BAD_PAYLOAD"],
    ]);
    // teabar's node still holds (and answers) its own target as it was.
    expect((await view(TEABAR_APPROVER, teabarOnly.id)).targets).toEqual([{ brandId: "teabar", status: "PENDING", reason: null }]);
  });

  it("with stylehub's node down, pieshop still sees teabar's status and stylehub's as unknown (UNAVAILABLE), not the coordinator's copy", async () => {
    await stack.nodes.get("stylehub")?.stop();
    try {
      const answer = await stack.ask<{ outreachRequest: RequestView }>(PIESHOP_ANALYST, REQUEST, { id: campaign.id });
      expect(answer.data?.outreachRequest.targets).toEqual([
        { brandId: "stylehub", status: null, reason: null },
        { brandId: "teabar", status: "APPROVED", reason: null },
      ]);
      expect(new Set(codes(answer))).toEqual(new Set(["UNAVAILABLE"]));
    } finally {
      await stack.restartNode("stylehub");
    }
    expect((await view(PIESHOP_ANALYST, campaign.id)).targets.map((target) => target.status)).toEqual(["DECLINED", "APPROVED"]);
  });

  it("tells teabar's approver by email of each new request and of one about to expire, once each", async () => {
    const soon = await create({ targetBrandIds: ["teabar"], sendAfter: undefined, expiresAt: inDays(0.5) });
    const later = await create({ targetBrandIds: ["teabar"] });
    await stored("teabar", soon.id);
    await stored("teabar", later.id);
    const noticesOf = async (requestId: string) => {
      const files = (await readdir(sinkDir)).filter((name) => name.endsWith(".eml"));
      const mails = await Promise.all(files.map((name) => readFile(join(sinkDir, name), "utf8")));
      return mails.filter((mail) => mail.includes(`X-Brandpool-Request: ${requestId}`));
    };
    await eventually(async () => ((await noticesOf(soon.id)).length === 2 ? true : undefined));
    await eventually(async () => ((await noticesOf(later.id)).length === 1 ? true : undefined));
    // Several runs later (one a second), still once each.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const kinds = async (requestId: string) => (await noticesOf(requestId)).map((mail) => /X-Brandpool-Notice: (\w+)/.exec(mail)?.[1]).sort();
    expect(await kinds(soon.id)).toEqual(["expiring", "new"]);
    // Seven days off: no expiry warning yet.
    expect(await kinds(later.id)).toEqual(["new"]);
    const mails = await noticesOf(soon.id);
    expect(mails.every((mail) => mail.includes(`To: ${APPROVER_EMAIL}`))).toBe(true);
    // Quoted-printable: soft line breaks undone.
    expect(mails.join("\n").replace(/=\r?\n/g, "")).toContain(`Content hash: ${soon.contentHash}`);
    const told = await stack.sql<{ told: boolean; warned: boolean }>(
      "teabar",
      "SELECT approver_told_at IS NOT NULL AS told, approver_warned_at IS NOT NULL AS warned FROM incoming_requests WHERE request_id = $1",
      [soon.id],
    );
    expect(told).toEqual([{ told: true, warned: true }]);
    // stylehub has no approver address: its node sends nothing (and needs no SMTP server).
    expect(sink.stored()).toBe((await readdir(sinkDir)).filter((name) => name.endsWith(".eml")).length);
  });
});
