import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlRequest } from "@brandpool/stack";
import type { DevTokenClaims } from "@brandpool/stack";
import { generateSigningKeyPair, importPrivateKey, mintNodeClientToken, signAuditHead } from "@brandpool/tokens";
import type { PrivateJwk } from "@brandpool/tokens";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import { cutTailAfter, rehashTailFrom } from "./support/audit-tamper.js";
import { recordAsNode } from "./support/owner-events.js";
// The node's own commitment, as built: with the node secret known, the test writes what the owner's node would.
import { figuresCommitment } from "../subgraphs/brand/dist/privacy/index.js";

// DESIGN.md invariant 5 and issue 8 item 7: nodes push signed chain heads that the coordinator
// records in its own chain, so neither a rewritten nor a cut tail of a node's log goes unnoticed;
// auditors list the events they may see and verify both logs, online and offline.

const run = promisify(execFile);
const VERIFY_CLI = "packages/audit-chain/dist/cli.js";
const EXPORT_CLI = "packages/audit-chain/dist/export-cli.js";

const PLATFORM_AUDITOR = { role: "auditor" } as const;
const auditor = (brand: string) => ({ brand, role: "auditor" }) as const;
const analyst = (brand: string) => ({ brand, role: "analyst" }) as const;

const EVENT_FIELDS = "id sequence action actorBrandId targetBrandId targetBrandIds objectId at";
const COORDINATOR_EVENTS = `query($first: Int, $after: String, $action: String, $brandId: ID) {
  auditEvents(first: $first, after: $after, action: $action, brandId: $brandId) {
    edges { cursor node { ${EVENT_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const NODE_EVENTS = `query($id: ID!, $first: Int, $after: String, $action: String, $brandId: ID) { brand(id: $id) {
  auditEvents(first: $first, after: $after, action: $action, brandId: $brandId) {
    edges { cursor node { ${EVENT_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;
const VERIFY_NODE = "query($id: ID!) { brand(id: $id) { verifyAuditChain { ok checked firstBrokenEventId headsChecked } } }";
const RECONCILE = "query($id: ID!) { reconcileOutreachRequest(requestId: $id) { ok mismatches } }";
const RECORD_HEAD = "mutation($head: String!) { recordAuditHead(head: $head) { brandId sequence hash recorded } }";

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
interface Verification {
  ok: boolean;
  checked: number;
  firstBrokenEventId: string | null;
  headsChecked: number | null;
}
interface Head {
  seq: number;
  hash: string;
  event_id: string;
}

describe("an audit trail both sides can verify", () => {
  let stack: TestStack;
  let workDir: string;
  let requestId = "";
  beforeAll(async () => {
    stack = await startTestStack();
    workDir = await mkdtemp(join(tmpdir(), "brandpool-heads-"));
    // Cross-brand actions to audit: estimates by two partners and an outreach request.
    for (const [who, owner] of [
      ["pieshop", "teabar"],
      ["stylehub", "teabar"],
      ["pieshop", "stylehub"],
    ] as const) {
      const answer = await stack.ask(analyst(who), `{ brand(id: "${owner}") { audienceEstimate(expression: "interest:tea", channel: SMS) { count } } }`);
      expect(answer.errors).toEqual([]);
    }
    // A few more events in the logs of pieshop and stylehub, whose tails the tests below cut or push heads for.
    for (const owner of ["pieshop", "stylehub"]) {
      for (const expression of ["interest:coffee", "interest:baking", "interest:travel"]) {
        const answer = await stack.ask(analyst("teabar"), `{ brand(id: "${owner}") { audienceEstimate(expression: "${expression}", channel: SMS) { count } } }`);
        expect(answer.errors).toEqual([]);
      }
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
  });
  afterAll(async () => {
    await stack?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
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
  const headsOf = (brandId: string) =>
    stack.sql<Head>(
      "coordinator",
      "SELECT (payload->>'seq')::int AS seq, payload->>'hash' AS hash, payload->>'eventId' AS event_id FROM audit_events WHERE type = 'audit.head_recorded' AND subject->>'brand' = $1 ORDER BY seq",
      [brandId],
    );
  const nodeHead = async (brandId: string) => {
    const [row] = await stack.sql<{ seq: number; hash: string; id: string }>(brandId, "SELECT seq::int AS seq, hash, id::text AS id FROM audit_events ORDER BY seq DESC LIMIT 1");
    if (!row) throw new Error(`${brandId} has an empty log`);
    return row;
  };
  /** Waits until the coordinator recorded the node's current head. */
  const headRecorded = (brandId: string) =>
    eventually(async () => {
      const head = await nodeHead(brandId);
      const recorded = await headsOf(brandId);
      return recorded.some((row) => row.seq === head.seq && row.hash === head.hash) ? head : undefined;
    });
  const verifyNode = async (claims: DevTokenClaims, brandId: string) => {
    const answer = await stack.ask<{ brand: { verifyAuditChain: Verification } | null }>(claims, VERIFY_NODE, { id: brandId });
    expect(answer.errors).toEqual([]);
    return answer.data?.brand?.verifyAuditChain;
  };
  const nodeKey = (brandId: string): PrivateJwk => {
    const key = stack.keys.nodes[brandId]?.key;
    if (!key) throw new Error(`no key for ${brandId}`);
    return key;
  };
  /** A head pushed through the gateway as `pusher`'s node, signed with `key` (a node's own, or not). */
  const pushHead = async (pusher: string, key: PrivateJwk, head: { brand: string; seq: number; hash: string; eventId: string }) => {
    const jws = await signAuditHead(await importPrivateKey(key), key.kid ?? "k", { ...head, signedAt: new Date().toISOString() });
    const token = await mintNodeClientToken(await importPrivateKey(nodeKey(pusher)), nodeKey(pusher).kid ?? "node", pusher);
    return graphqlRequest<{ recordAuditHead: { recorded: boolean; sequence: number } }>(stack.gatewayUrl, RECORD_HEAD, { token, variables: { head: jws } });
  };
  /** An auditor's export through the gateway with `npm run audit:export`'s script. */
  const exportAs = async (claims: DevTokenClaims, brandId: string | null) => {
    const token = await stack.token(claims);
    const args = [EXPORT_CLI, "--token", token, "--gateway", stack.gatewayUrl, ...(brandId ? ["--brand", brandId] : [])];
    return (await run(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  };
  const codes = (answer: { errors: { extensions?: Record<string, unknown> }[] }) => answer.errors.map((error) => error.extensions?.code);

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

  it("records each node's signed heads in the platform chain, and an auditor verifies both chains against them", async () => {
    const head = await headRecorded("teabar");
    const [recorded] = await stack.sql<{ actor: unknown; payload: Record<string, unknown> }>(
      "coordinator",
      "SELECT actor, payload FROM audit_events WHERE type = 'audit.head_recorded' AND subject->>'brand' = 'teabar' AND (payload->>'seq')::int = $1",
      [head.seq],
    );
    expect(recorded?.actor).toEqual({ kind: "node", brand: "teabar" });
    expect(recorded?.payload).toMatchObject({ seq: head.seq, hash: head.hash, eventId: head.id, signature: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });

    const platform = await stack.ask<{ verifyAuditChain: Verification }>(PLATFORM_AUDITOR, "{ verifyAuditChain { ok firstBrokenEventId } }");
    expect(platform.data?.verifyAuditChain).toEqual({ ok: true, firstBrokenEventId: null });
    for (const claims of [auditor("teabar"), PLATFORM_AUDITOR]) {
      const result = await verifyNode(claims, "teabar");
      expect(result).toMatchObject({ ok: true, firstBrokenEventId: null });
      expect(result?.headsChecked).toBeGreaterThanOrEqual(1);
    }
  });

  /**
   * teabar's node approves the request and releases its results in the agreed shape (ARCHITECTURE.md,
   * "Reconciling an outreach request"): exact figures and a commitment in its own log, released
   * figures and the same commitment in the platform log.
   */
  const releaseAtTeabar = async () => {
    const node = stack.nodes.get("teabar");
    if (!node) throw new Error("no teabar node");
    const subject = { kind: "outreach-request", id: requestId };
    const actor = { kind: "node", brand: "teabar" };
    const statusId = await recordAsNode(
      node.databaseUrl,
      { type: "outreach.approved", actor: { kind: "user", subject: "teabar-approver@dev", role: "approver", brand: "teabar" }, subject, payload: { requester: "pieshop", status: "APPROVED", cap: 300 } },
      { type: "outreach.status", payload: { requestId, requester: "pieshop", status: "APPROVED" } },
    );
    const exact = { contacted: 287, delivered: 280, failed: 7, redeemed: 0 };
    const released = { contacted: 290, delivered: 276, failed: null, redeemed: null, margin95: 30 };
    const commitment = figuresCommitment(stack.keys.nodes.teabar?.secret ?? "", requestId, "final", exact);
    const common = { requestId, requester: "pieshop", release: "final", released, commitment };
    const releaseId = await recordAsNode(node.databaseUrl, { type: "outreach.results_released", actor, subject, payload: { ...common, exact } }, { type: "outreach.results_released", payload: common });
    await eventually(async () => {
      const rows = await stack.sql("coordinator", "SELECT 1 FROM audit_events WHERE payload->>'nodeEventId' = ANY($1::text[])", [[statusId, releaseId]]);
      return rows.length === 2 ? true : undefined;
    });
    return { statusId, releaseId, exact };
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

  it("refuses a forged head: another key, another brand's node, a person", async () => {
    const head = await headRecorded("teabar");
    const before = await headsOf("teabar");
    const forged = { brand: "teabar", seq: head.seq + 1000, hash: "f".repeat(64), eventId: randomUUID() };

    const stranger = await generateSigningKeyPair();
    const wrongKey = await pushHead("teabar", stranger.privateJwk, forged);
    expect(codes(wrongKey)).toEqual(["BAD_INPUT"]);
    expect(wrongKey.errors[0]?.extensions?.details).toMatchObject({ reason: "BAD_SIGNATURE" });
    // pieshop's node signing with its own key a head that claims to be teabar's.
    const otherBrand = await pushHead("pieshop", nodeKey("pieshop"), forged);
    expect(codes(otherBrand)).toEqual(["FORBIDDEN"]);
    // teabar's own signature, pushed by pieshop's node: checked against pieshop's key, refused.
    const relayed = await pushHead("pieshop", nodeKey("teabar"), forged);
    expect(codes(relayed)).toEqual(["BAD_INPUT"]);
    // A person cannot push a head at all (the gateway's Cedar check).
    const jws = await signAuditHead(await importPrivateKey(nodeKey("teabar")), "k", { ...forged, signedAt: new Date().toISOString() });
    expect(codes(await stack.ask(auditor("teabar"), RECORD_HEAD, { head: jws }))).toEqual(["FORBIDDEN"]);

    // Nothing of the forged head was recorded; whatever teabar's node pushed meanwhile matches its chain.
    const after = await headsOf("teabar");
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.filter((row) => row.seq === forged.seq || row.hash === forged.hash)).toEqual([]);
    expect(await verifyNode(PLATFORM_AUDITOR, "teabar")).toMatchObject({ ok: true });
  });

  it("refuses a head that goes backwards or contradicts one recorded, and accepts a repeat once", async () => {
    // stylehub's node is stopped, so only this test pushes its heads (signed with its own key).
    await headRecorded("stylehub");
    await stack.nodes.get("stylehub")?.stop();
    const [latest] = (await headsOf("stylehub")).slice(-1);
    if (!latest) throw new Error("no head of stylehub");
    const eventCount = (await stack.sql<{ n: number }>("coordinator", "SELECT count(*)::int AS n FROM audit_events"))[0]?.n;

    const repeat = await pushHead("stylehub", nodeKey("stylehub"), { brand: "stylehub", seq: latest.seq, hash: latest.hash, eventId: latest.event_id });
    expect(repeat.errors).toEqual([]);
    expect(repeat.data?.recordAuditHead).toMatchObject({ recorded: false, sequence: latest.seq });
    const contradicting = await pushHead("stylehub", nodeKey("stylehub"), { brand: "stylehub", seq: latest.seq, hash: "0".repeat(64), eventId: latest.event_id });
    expect(codes(contradicting)).toEqual(["CONFLICT"]);
    expect(contradicting.errors[0]?.extensions?.details).toMatchObject({ reason: "HEAD_CONTRADICTS" });
    const recordedSeqs = new Set((await headsOf("stylehub")).map((row) => row.seq));
    const unrecorded = Array.from({ length: latest.seq - 1 }, (_, index) => index + 1).find((seq) => !recordedSeqs.has(seq));
    const behindSeq = unrecorded ?? latest.seq - 1;
    const behind = await pushHead("stylehub", nodeKey("stylehub"), { brand: "stylehub", seq: behindSeq, hash: "1".repeat(64), eventId: randomUUID() });
    expect(codes(behind)).toEqual(["CONFLICT"]);
    expect(behind.errors[0]?.extensions?.details).toMatchObject({ reason: unrecorded === undefined ? "HEAD_CONTRADICTS" : "HEAD_BEHIND" });
    expect((await stack.sql<{ n: number }>("coordinator", "SELECT count(*)::int AS n FROM audit_events"))[0]?.n).toBe(eventCount);
    await stack.restartNode("stylehub");
  });

  it("catches a node's tail that a superuser rewrote and rehashed, by the heads recorded at the coordinator, online and offline", async () => {
    const [estimate] = await stack.sql<{ seq: number; id: string }>("teabar", "SELECT seq::int AS seq, id::text AS id FROM audit_events WHERE type = 'estimate.answered' ORDER BY seq LIMIT 1");
    if (!estimate) throw new Error("no estimate at teabar");
    await headRecorded("teabar");
    await stack.nodes.get("teabar")?.stop();
    const heads = await headsOf("teabar");
    // The event the verification must name: the one at the first recorded head at or after the rewrite.
    const firstPinned = heads.find((row) => row.seq >= estimate.seq);
    if (!firstPinned) throw new Error("no head pins the estimate");
    await rehashTailFrom(stack, "teabar", estimate.seq, (payload) => ({ ...payload, exact: 0 }));
    const [pinnedNow] = await stack.sql<{ id: string }>("teabar", "SELECT id::text AS id FROM audit_events WHERE seq = $1", [firstPinned.seq]);
    await stack.restartNode("teabar");

    // Link by link the rewritten chain is whole: only the heads show it.
    const nodeFile = join(workDir, "teabar.ndjson");
    const coordinatorFile = join(workDir, "coordinator.ndjson");
    await writeFile(nodeFile, await exportAs(auditor("teabar"), "teabar"));
    await writeFile(coordinatorFile, await exportAs(PLATFORM_AUDITOR, null));
    expect((await run(process.execPath, [VERIFY_CLI, nodeFile])).stdout).toMatch(/^ok: \d+ events\n$/);
    const offline = await run(process.execPath, [VERIFY_CLI, nodeFile, "--heads", coordinatorFile, "--brand", "teabar"]).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(offline.code).toBe(1);
    expect(offline.stdout.trim()).toBe(`broken at event ${pinnedNow?.id} (contradicts the head recorded at seq ${firstPinned.seq})`);

    for (const claims of [auditor("teabar"), PLATFORM_AUDITOR]) {
      expect(await verifyNode(claims, "teabar")).toMatchObject({ ok: false, firstBrokenEventId: pinnedNow?.id });
    }
    // The node's own push of its rewritten head is refused where it contradicts a recorded one.
    expect((await headsOf("teabar")).find((row) => row.seq === firstPinned.seq)?.hash).toBe(firstPinned.hash);
  });

  it("catches a node's tail that a superuser cut, by the head recorded at the coordinator", async () => {
    const head = await headRecorded("pieshop");
    await stack.nodes.get("pieshop")?.stop();
    const keep = head.seq - 2;
    await cutTailAfter(stack, "pieshop", keep);
    const firstCut = (await headsOf("pieshop")).find((row) => row.seq > keep);
    if (!firstCut) throw new Error("no head after the cut");
    await stack.restartNode("pieshop");
    const result = await verifyNode(auditor("pieshop"), "pieshop");
    expect(result).toMatchObject({ ok: false, firstBrokenEventId: firstCut.event_id });
    // The chain that is left still links up: it is the recorded head that names the missing event.
    expect(result?.checked).toBeGreaterThanOrEqual(keep);
  });

  it("finds a tampered figure in either log and a status the owner never recorded", async () => {
    const reconcile = async () => {
      const answer = await stack.ask<{ reconcileOutreachRequest: { ok: boolean; mismatches: string[] } }>(PLATFORM_AUDITOR, RECONCILE, { id: requestId });
      expect(answer.errors).toEqual([]);
      return answer.data?.reconcileOutreachRequest;
    };
    expect(await reconcile()).toEqual({ ok: true, mismatches: [] });
    const [release] = await stack.sql<{ seq: number; id: string }>("teabar", "SELECT seq::int AS seq, id::text AS id FROM audit_events WHERE type = 'outreach.results_released'");
    if (!release) throw new Error("no release at teabar");
    // A superuser raises the owner's exact count in its log; the commitment no longer matches.
    await stack.sql(
      "teabar",
      `SET session_replication_role = replica;
       UPDATE audit_events SET payload = jsonb_set(payload, '{exact,contacted}', '300') WHERE seq = ${release.seq};
       SET session_replication_role = origin;`,
    );
    expect(await reconcile()).toEqual({ ok: false, mismatches: [`teabar: release final (node event ${release.id}): the owner's exact figures do not match its commitment`] });
    // And the released figure in the platform log.
    await stack.sql(
      "coordinator",
      `SET session_replication_role = replica;
       UPDATE audit_events SET payload = jsonb_set(payload, '{released,contacted}', '1000') WHERE type = 'node.outreach.results_released' AND payload->>'nodeEventId' = '${release.id}';
       SET session_replication_role = origin;`,
    );
    expect((await reconcile())?.mismatches).toContain("teabar: release final: released contacted differs (platform log 1000, owner's log 290)");
    // A status in the platform log that teabar's log does not hold (as if pushed and then cut from the owner's log).
    const node = stack.nodes.get("teabar");
    const statusId = await recordAsNode(node?.databaseUrl ?? "", { type: "outreach.sent", actor: { kind: "node", brand: "teabar" }, subject: { kind: "outreach-request", id: requestId }, payload: { requester: "pieshop", status: "SENT" } }, { type: "outreach.status", payload: { requestId, requester: "pieshop", status: "SENT" } });
    await eventually(async () => ((await stack.sql("coordinator", "SELECT 1 FROM audit_events WHERE payload->>'nodeEventId' = $1", [statusId])).length ? true : undefined));
    await stack.sql("teabar", `SET session_replication_role = replica; UPDATE audit_events SET type = 'outreach.failed', payload = jsonb_set(payload, '{status}', '"FAILED"') WHERE id = '${statusId}'; SET session_replication_role = origin;`);
    expect((await reconcile())?.mismatches).toContain(`teabar: status SENT (node event ${statusId}) has no matching event in the owner's log`);
  });
});
