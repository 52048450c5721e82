import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmsSink } from "@brandpool/sinks";
import type { SmsSink } from "@brandpool/sinks";
import type { DevTokenClaims } from "@brandpool/stack";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import { ESTIMATES, PLATFORM_AUDITOR, analyst, auditor, codes } from "./support/auditors.js";
import { approve } from "./support/outreach-sending.js";
import { recordAsNode } from "./support/owner-events.js";

// DESIGN.md invariant 5 and issue 8 item 7: auditors read the events of both logs they may see (a
// brand's auditor those where its brand is actor or target, the platform auditor all), never
// personal data, and reconcile an outreach request's figures between the two logs against the
// owners' commitments. The signed chain heads are tests/audit-heads.e2e.test.ts.

const EVENT_FIELDS = "id sequence action actorBrandId targetBrandId targetBrandIds objectId at";
const COORDINATOR_EVENTS = `query($first: Int, $after: String, $action: String, $brandId: ID) {
  auditEvents(first: $first, after: $after, action: $action, brandId: $brandId) {
    edges { cursor node { ${EVENT_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const NODE_EVENTS = `query($id: ID!, $first: Int, $after: String, $action: String, $brandId: ID) { brand(id: $id) {
  auditEvents(first: $first, after: $after, action: $action, brandId: $brandId) {
    edges { cursor node { ${EVENT_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;
const RECONCILE = "query($id: ID!) { reconcileOutreachRequest(requestId: $id) { ok mismatches } }";

interface EventNode {
  id: string;
  sequence: number;
  action: string;
  actorBrandId: string | null;
  targetBrandId: string | null;
  targetBrandIds: string[];
  objectId: string | null;
  at: string;
}
interface Connection {
  edges: { cursor: string; node: EventNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

describe("auditors reading both logs", () => {
  let stack: TestStack;
  let requestId = "";
  let sms: SmsSink;
  let sinkDir: string;
  beforeAll(async () => {
    sinkDir = await mkdtemp(join(tmpdir(), "brandpool-audit-sms-"));
    sms = await startSmsSink({ dir: sinkDir });
    // teabar's node sends for real (to the SMS sink, at any hour) and releases results within a second.
    stack = await startTestStack({
      nodeEnv: (brandId) => (brandId === "teabar" ? { SMS_WEBHOOK_URL: sms.url, QUIET_HOURS: "none", SEND_POLL_SECONDS: "1", OUTREACH_RESULTS_SECONDS: "1" } : undefined),
    });
    // Cross-brand actions to audit: estimates by each partner and an outreach request.
    for (const [who, owner, expression] of ESTIMATES) {
      const answer = await stack.ask(analyst(who), `{ brand(id: "${owner}") { audienceEstimate(expression: "${expression}", channel: SMS) { count } } }`);
      expect(answer.errors).toEqual([]);
    }
    const created = await stack.ask<{ createOutreachRequest: { id: string } }>(
      analyst("pieshop"),
      "mutation($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id } }",
      {
        input: {
          targetBrandIds: ["teabar", "stylehub"],
          expression: "age:25-34",
          channel: "SMS",
          message: "PaiPai: a pie on us with code {{coupon}}",
          purpose: "New-member welcome",
          maxRecipientsPerBrand: 500,
          expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        },
      },
    );
    expect(created.errors).toEqual([]);
    requestId = created.data?.createOutreachRequest.id ?? "";
    await eventually(async () => ((await stack.sql("teabar", "SELECT 1 FROM incoming_requests WHERE request_id = $1", [requestId])).length ? true : undefined));
    // The owners' events reach the platform log through their outboxes: wait until each is pushed
    // (a loaded run once read the platform log with one estimate's event still in pieshop's outbox).
    for (const brand of ["pieshop", "teabar", "stylehub"]) {
      await eventually(async () => {
        const [left] = await stack.sql<{ n: number }>(brand, "SELECT count(*)::int AS n FROM coordinator_outbox WHERE pushed_at IS NULL AND refused_at IS NULL");
        return left?.n === 0 ? true : undefined;
      });
    }
  });
  afterAll(async () => {
    await stack?.stop();
    await sms?.close();
    if (sinkDir) await rm(sinkDir, { recursive: true, force: true });
  });

  const coordinatorEvents = (claims: DevTokenClaims, variables: Record<string, unknown> = {}) =>
    stack.ask<{ auditEvents: Connection }>(claims, COORDINATOR_EVENTS, variables);
  const allCoordinatorEvents = async (claims: DevTokenClaims, variables: Record<string, unknown> = {}) => {
    const nodes: EventNode[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await coordinatorEvents(claims, { ...variables, first: 50, after });
      expect(page.errors).toEqual([]);
      const connection = page.data?.auditEvents as Connection;
      nodes.push(...connection.edges.map((edge) => edge.node));
      if (!connection.pageInfo.hasNextPage) return nodes;
      after = connection.pageInfo.endCursor;
    }
  };

  it("shows a brand's auditor the platform events where its brand is actor or target, and no others", async () => {
    const visible = await allCoordinatorEvents(auditor("pieshop"));
    const all = await stack.sql<{ id: string; type: string; text: string }>(
      "coordinator",
      "SELECT id::text AS id, type, actor::text || subject::text || payload::text AS text FROM audit_events ORDER BY seq",
    );
    const mentions = new Set(all.filter((row) => row.text.includes('"pieshop"')).map((row) => row.id));
    expect(visible.length).toBeGreaterThan(0);
    for (const event of visible) {
      expect(mentions.has(event.id), `${event.action} ${event.id}`).toBe(true);
      expect(event.actorBrandId === "pieshop" || event.targetBrandIds.includes("pieshop") || event.targetBrandId === "pieshop").toBe(true);
    }
    const types = new Set(visible.map((event) => event.action));
    expect(types).toContain("outreach.requested");
    // pieshop's own estimate at teabar (pieshop the actor) and stylehub's at pieshop (the target); not stylehub's at teabar.
    const estimates = visible.filter((event) => event.action === "node.estimate.answered");
    expect(estimates.map((event) => [event.actorBrandId, event.targetBrandId]).sort()).toEqual([
      ["pieshop", "stylehub"],
      ["pieshop", "teabar"],
      ...Array.from({ length: 3 }, () => ["teabar", "pieshop"]),
    ]);
    const request = visible.find((event) => event.action === "outreach.requested");
    expect(request).toMatchObject({ actorBrandId: "pieshop", targetBrandId: null, targetBrandIds: ["stylehub", "teabar"], objectId: requestId });
  });

  it("shows a target's auditor the request it is a target of, naming itself as the only target", async () => {
    const visible = await allCoordinatorEvents(auditor("teabar"), { action: "outreach.requested" });
    expect(visible.map(({ actorBrandId, targetBrandId, targetBrandIds, objectId }) => ({ actorBrandId, targetBrandId, targetBrandIds, objectId }))).toEqual([
      { actorBrandId: "pieshop", targetBrandId: "teabar", targetBrandIds: ["teabar"], objectId: requestId },
    ]);
  });

  it("shows the platform auditor every event, page by page, and filters by action and brand", async () => {
    const pages = await allCoordinatorEvents(PLATFORM_AUDITOR);
    const last = pages.at(-1)?.sequence ?? 0;
    const stored = await stack.sql<{ id: string }>("coordinator", "SELECT id::text AS id FROM audit_events WHERE seq <= $1 ORDER BY seq", [last]);
    expect(pages.map((event) => event.id)).toEqual(stored.map((row) => row.id));
    expect(pages.map((event) => event.sequence)).toEqual(stored.map((_, index) => index + 1));

    const filtered = await allCoordinatorEvents(PLATFORM_AUDITOR, { action: "node.estimate.answered", brandId: "stylehub" });
    expect(filtered.map((event) => [event.actorBrandId, event.targetBrandId]).sort()).toEqual([
      ["pieshop", "stylehub"],
      ["stylehub", "teabar"],
      ...Array.from({ length: 3 }, () => ["teabar", "stylehub"]),
    ]);
    // A brand's auditor filtering on another brand sees only what concerns both.
    const both = await allCoordinatorEvents(auditor("pieshop"), { action: "node.estimate.answered", brandId: "teabar" });
    expect(both.map((event) => [event.actorBrandId, event.targetBrandId]).sort()).toEqual([["pieshop", "teabar"], ...Array.from({ length: 3 }, () => ["teabar", "pieshop"])]);
  });

  it("refuses non-auditors with FORBIDDEN (audited) and bad pages with typed errors", async () => {
    const before = await stack.sql<{ n: number }>("coordinator", "SELECT count(*)::int AS n FROM audit_events WHERE type = 'policy.denied'");
    for (const claims of [analyst("pieshop"), { brand: "teabar", role: "approver" } as const, { role: "platform-admin" } as const]) {
      const denied = await coordinatorEvents(claims);
      expect(codes(denied)).toEqual(["FORBIDDEN"]);
      expect(denied.data?.auditEvents ?? null).toBeNull();
    }
    await eventually(async () => {
      const [row] = await stack.sql<{ n: number }>("coordinator", "SELECT count(*)::int AS n FROM audit_events WHERE type = 'policy.denied' AND payload->>'action' = 'ReadAuditEvents'");
      return (row?.n ?? 0) >= 3 ? true : undefined;
    });
    expect((await stack.sql<{ n: number }>("coordinator", "SELECT count(*)::int AS n FROM audit_events WHERE type = 'policy.denied'"))[0]?.n).toBeGreaterThan(before[0]?.n ?? 0);

    const tried: [Record<string, unknown>, string][] = [
      [{ after: "bm90IGEgY3Vyc29y" }, "BAD_INPUT"], // base64 of "not a cursor"
      [{ after: "!!" }, "BAD_INPUT"],
      [{ first: 0 }, "BAD_INPUT"],
      [{ first: -5 }, "BAD_INPUT"],
      [{ first: 101 }, "LIMIT_EXCEEDED"],
      [{ action: "DROP TABLE audit_events" }, "BAD_INPUT"],
      [{ brandId: "Not A Brand!" }, "BAD_INPUT"],
    ];
    for (const [variables, code] of tried) {
      const answer = await coordinatorEvents(PLATFORM_AUDITOR, variables);
      expect(codes(answer), JSON.stringify(variables)).toEqual([code]);
    }
    const node = await stack.ask(auditor("teabar"), NODE_EVENTS, { id: "teabar", first: 1000 });
    expect(codes(node)).toEqual(["LIMIT_EXCEEDED"]);
  });

  it("shows a node's own log to that brand's auditor and the platform auditor, never to another brand", async () => {
    const stored = await stack.sql<{ id: string }>("teabar", "SELECT id::text AS id FROM audit_events ORDER BY seq LIMIT 100");
    for (const claims of [auditor("teabar"), PLATFORM_AUDITOR]) {
      const answer = await stack.ask<{ brand: { auditEvents: Connection } }>(claims, NODE_EVENTS, { id: "teabar", first: 100 });
      expect(answer.errors).toEqual([]);
      expect(answer.data?.brand.auditEvents.edges.map((edge) => edge.node.id)).toEqual(stored.map((row) => row.id));
    }
    const received = await stack.ask<{ brand: { auditEvents: Connection } }>(auditor("teabar"), NODE_EVENTS, { id: "teabar", action: "outreach.received" });
    expect(received.data?.brand.auditEvents.edges.map((edge) => edge.node)).toEqual([
      // teabar's node received it: the actor; pieshop's request is the object.
      expect.objectContaining({ action: "outreach.received", actorBrandId: "teabar", objectId: requestId }),
    ]);
    for (const claims of [auditor("pieshop"), analyst("teabar"), analyst("pieshop")]) {
      const denied = await stack.ask<{ brand: { auditEvents: Connection | null } | null }>(claims, NODE_EVENTS, { id: "teabar" });
      expect(codes(denied)).toEqual(["FORBIDDEN"]);
      expect(denied.data?.brand?.auditEvents ?? null).toBeNull();
    }
  });

  it("keeps personal data out of the node's outreach and estimate events", async () => {
    const events = await stack.sql<{ text: string }>("teabar", "SELECT actor::text || subject::text || payload::text AS text FROM audit_events");
    const members = await stack.sql<{ external_id: string; name: string; phone: string | null; email: string | null; address: string | null }>(
      "teabar",
      "SELECT external_id, name, phone, email, address FROM members",
    );
    expect(members.length).toBeGreaterThan(1000);
    const personal = members.flatMap((member) => [member.external_id, member.name, member.phone, member.email, member.address]).filter((value): value is string => !!value && value.length >= 4);
    const log = events.map((event) => event.text).join("\n");
    // The detector works: the log does hold the request's id, and would show a member's data the same way.
    expect(log).toContain(requestId);
    expect(personal.filter((value) => log.includes(value))).toEqual([]);
    // Not the message either: the owner's log keeps the hash of the content it received.
    expect(log).not.toContain("a pie on us");
  });


  /**
   * teabar's approver approves the request, its node sends it (through the SMS sink) and releases
   * its results: exact figures and a commitment in its own log, released figures and the same
   * commitment in the platform log (ARCHITECTURE.md, "Reconciling an outreach request").
   */
  const releaseAtTeabar = async () => {
    await approve(stack, "teabar", requestId, 300);
    const release = await eventually(async () => {
      const [row] = await stack.sql<{ id: string; seq: number; payload: { exact: { contacted: number }; released: { contacted: number | null } } }>(
        "teabar",
        "SELECT id::text AS id, seq::int AS seq, payload FROM audit_events WHERE type = 'outreach.results' AND payload->>'requestId' = $1",
        [requestId],
      );
      return row;
    }, 60_000);
    // Every event the owner's node owes the platform for the request has been pushed (approved, sending, sent, results).
    await eventually(async () => {
      const [pending] = await stack.sql<{ n: number }>("teabar", "SELECT count(*)::int AS n FROM coordinator_outbox WHERE pushed_at IS NULL AND payload->>'requestId' = $1", [requestId]);
      const [pushed] = await stack.sql<{ n: number }>("coordinator", "SELECT count(*)::int AS n FROM audit_events WHERE payload->>'nodeEventId' = $1", [release.id]);
      return pending?.n === 0 && pushed?.n === 1 ? true : undefined;
    });
    return release;
  };

  it("reconciles a consistent request for the auditors entitled to both logs", async () => {
    await releaseAtTeabar();
    for (const claims of [PLATFORM_AUDITOR, auditor("teabar")]) {
      const answer = await stack.ask<{ reconcileOutreachRequest: { ok: boolean; mismatches: string[] } }>(claims, RECONCILE, { id: requestId });
      expect(answer.errors).toEqual([]);
      expect(answer.data?.reconcileOutreachRequest).toEqual({ ok: true, mismatches: [] });
    }
    // The requester's auditor may read the platform's part, not the targets' own logs: not ok, and told why.
    const requester = await stack.ask<{ reconcileOutreachRequest: { ok: boolean; mismatches: string[] } | null }>(auditor("pieshop"), RECONCILE, { id: requestId });
    expect(codes(requester)).toContain("FORBIDDEN");
    expect(requester.data?.reconcileOutreachRequest ?? { ok: false }).toMatchObject({ ok: false });
    // stylehub's auditor reconciles its own part (it has no status or release yet: nothing disagrees).
    const other = await stack.ask<{ reconcileOutreachRequest: { ok: boolean; mismatches: string[] } }>(auditor("stylehub"), RECONCILE, { id: requestId });
    expect(other.errors).toEqual([]);
    expect(other.data?.reconcileOutreachRequest).toEqual({ ok: true, mismatches: [] });
    expect(codes(await stack.ask(analyst("pieshop"), RECONCILE, { id: requestId }))).toEqual(["FORBIDDEN"]);
    expect(codes(await stack.ask(PLATFORM_AUDITOR, RECONCILE, { id: "not-a-uuid" }))).toEqual(["BAD_INPUT"]);
    expect(codes(await stack.ask(PLATFORM_AUDITOR, RECONCILE, { id: randomUUID() }))).toEqual(["NOT_FOUND"]);
  });


  it("finds a tampered figure in either log and a status the owner never recorded", async () => {
    const reconcile = async () => {
      const answer = await stack.ask<{ reconcileOutreachRequest: { ok: boolean; mismatches: string[] } }>(PLATFORM_AUDITOR, RECONCILE, { id: requestId });
      expect(answer.errors).toEqual([]);
      return answer.data?.reconcileOutreachRequest;
    };
    expect(await reconcile()).toEqual({ ok: true, mismatches: [] });
    const [release] = await stack.sql<{ seq: number; id: string; payload: { exact: { contacted: number }; released: { contacted: number | null } } }>(
      "teabar",
      "SELECT seq::int AS seq, id::text AS id, payload FROM audit_events WHERE type = 'outreach.results'",
    );
    if (!release) throw new Error("no release at teabar");
    // A superuser raises the owner's exact count in its log; the commitment no longer matches.
    await stack.sql(
      "teabar",
      `SET session_replication_role = replica;
       UPDATE audit_events SET payload = jsonb_set(payload, '{exact,contacted}', '${release.payload.exact.contacted + 1}') WHERE seq = ${release.seq};
       SET session_replication_role = origin;`,
    );
    expect(await reconcile()).toEqual({ ok: false, mismatches: [`teabar: release 1 (node event ${release.id}): the owner's exact figures do not match its commitment`] });
    // And the released figure in the platform log.
    await stack.sql(
      "coordinator",
      `SET session_replication_role = replica;
       UPDATE audit_events SET payload = jsonb_set(payload, '{released,contacted}', '1000') WHERE type = 'node.outreach.results' AND payload->>'nodeEventId' = '${release.id}';
       SET session_replication_role = origin;`,
    );
    expect((await reconcile())?.mismatches).toContain(`teabar: release 1: released contacted differs (platform log 1000, owner's log ${release.payload.released.contacted})`);
    // A status in the platform log that the owner's log does not hold (as if pushed and then cut
    // from it): stylehub's approver approves (its node has no channel, so it stays APPROVED) and a
    // SENDING is forged after it (the coordinator takes only forward moves, APPROVED -> SENDING).
    await approve(stack, "stylehub", requestId, 100);
    await eventually(async () => ((await stack.sql<{ status: string }>("coordinator", "SELECT status FROM outreach_targets WHERE request_id = $1 AND brand_id = 'stylehub'", [requestId]))[0]?.status === "APPROVED" ? true : undefined));
    const node = stack.nodes.get("stylehub");
    const statusId = await recordAsNode(node?.databaseUrl ?? "", { type: "outreach.sending", actor: { kind: "node", brand: "stylehub" }, subject: { kind: "outreach-request", id: requestId }, payload: { requester: "pieshop", status: "SENDING" } }, { type: "outreach.status", payload: { requestId, requester: "pieshop", status: "SENDING" } });
    await eventually(async () => ((await stack.sql("coordinator", "SELECT 1 FROM audit_events WHERE payload->>'nodeEventId' = $1", [statusId])).length ? true : undefined));
    await stack.sql("stylehub", `SET session_replication_role = replica; UPDATE audit_events SET type = 'outreach.failed', payload = jsonb_set(payload, '{status}', '"FAILED"') WHERE id = '${statusId}'; SET session_replication_role = origin;`);
    expect((await reconcile())?.mismatches).toContain(`stylehub: status SENDING (node event ${statusId}) has no matching event in the owner's log`);
  });
});

