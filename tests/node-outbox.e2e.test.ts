import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPrivateKey, mintNodeClientToken } from "@brandpool/tokens";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import { ESTIMATE_FIELDS, currentPeriod } from "./support/privacy-oracle.js";
import { queueOutboxEvents } from "./support/outbox-events.js";
import type { QueuedEvent } from "./support/outbox-events.js";

// Issue 7 item 5: each pushed event is accepted or refused on its own, so one event the
// coordinator refuses never holds back the others; refused events are set aside at the node and
// shown to its admin; receipts are per brand; the node's background work is pg-boss jobs.

const TEABAR_ADMIN = { brand: "teabar", role: "admin" } as const;
const TEABAR_AUDITOR = { brand: "teabar", role: "auditor" } as const;
const TEABAR_ANALYST = { brand: "teabar", role: "analyst" } as const;
const TEABAR_APPROVER = { brand: "teabar", role: "approver" } as const;
const PIESHOP_ANALYST = { brand: "pieshop", role: "analyst" } as const;

const RECORD = "mutation($events: [NodeEventInput!]!) { recordNodeEvents(events: $events) { recorded outcomes { id status reason message } } }";
const REFUSALS = `query($first: Int, $after: String) {
  outboxRefusals(first: $first, after: $after) {
    edges { cursor node { id type reason message refusedAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Outcome {
  id: string;
  status: string;
  reason: string | null;
  message: string | null;
}
interface RecordAnswer {
  recordNodeEvents: { recorded: number; outcomes: Outcome[] };
}
interface RefusalPage {
  outboxRefusals: {
    edges: { cursor: string; node: { id: string; type: string; reason: string; message: string; refusedAt: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}
interface OutboxRow {
  id: string;
  pushed: boolean;
  refused_at: Date | null;
  refusal_reason: string | null;
  refusal_message: string | null;
}

/** Over the coordinator's 8 KiB limit for one event's payload, well under the gateway's body limit. */
const OVERSIZED = { owner: "teabar", note: "x".repeat(9_000) };

describe("the node's outbox: per-event outcomes, refusals set aside, pg-boss jobs", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const nodeToken = async (brandId: string) => {
    const key = stack.keys.nodes[brandId]?.key;
    if (!key) throw new Error(`no node key for ${brandId}`);
    return mintNodeClientToken(await importPrivateKey(key), key.kid ?? "node", brandId);
  };
  const outboxRows = (database: string, ids: readonly string[]) =>
    stack.sql<OutboxRow>(
      database,
      "SELECT id::text AS id, pushed_at IS NOT NULL AS pushed, refused_at, refusal_reason, refusal_message FROM coordinator_outbox WHERE id = ANY($1::uuid[]) ORDER BY created_at, id",
      [ids],
    );
  const platformEventsOf = (ids: readonly string[]) =>
    stack.sql<{ node_event_id: string; type: string; subject: Record<string, unknown> }>(
      "coordinator",
      "SELECT payload->>'nodeEventId' AS node_event_id, type, subject FROM audit_events WHERE payload->>'nodeEventId' = ANY($1::text[]) ORDER BY seq",
      [ids],
    );
  const receiptsOf = (id: string) =>
    stack.sql<{ brand_id: string }>("coordinator", "SELECT brand_id FROM node_event_receipts WHERE id = $1 ORDER BY brand_id", [id]);
  const refusalsTable = (database: string) =>
    stack.sql(database, "SELECT id::text, type, payload, pushed_at, refused_at, refusal_reason, refusal_message FROM coordinator_outbox WHERE refused_at IS NOT NULL ORDER BY id");

  const queueEvents = (brandId: string, events: QueuedEvent[]) => {
    const url = stack.nodes.get(brandId)?.databaseUrl;
    if (!url) throw new Error(`no node ${brandId}`);
    return queueOutboxEvents(url, brandId, events);
  };

  const settled = (database: string, ids: readonly string[]) =>
    eventually(async () => {
      const rows = await outboxRows(database, ids);
      return rows.length === ids.length && rows.every((row) => row.pushed || row.refused_at) ? rows : undefined;
    });

  let poisoned: string[] = [];

  it("sets aside the events the coordinator refuses and pushes the ones queued with and after them", async () => {
    const good = { owner: "teabar", released: 120, requester: "pieshop", period: currentPeriod() };
    const ids = await queueEvents("teabar", [
      { type: "estimate.answered", payload: OVERSIZED },
      { type: "estimate.answered", payload: good },
      { type: "estimate.answered", payload: { ...good, owner: "pieshop" } },
      { type: "estimate.answered", payload: { ...good, released: 121 } },
    ]);
    const [tooLarge, first, otherBrand, second] = ids as [string, string, string, string];
    poisoned = [tooLarge, otherBrand];

    const rows = await settled("teabar", ids);
    expect(rows.map((row) => ({ id: row.id, pushed: row.pushed, reason: row.refusal_reason }))).toEqual([
      { id: tooLarge, pushed: false, reason: "PAYLOAD_TOO_LARGE" },
      { id: first, pushed: true, reason: null },
      { id: otherBrand, pushed: false, reason: "OTHER_BRAND" },
      { id: second, pushed: true, reason: null },
    ]);
    expect(rows[0]?.refusal_message).toBe("The event payload is over 8192 bytes.");
    // Set aside, not deleted: the node's own log still holds every one of them.
    const ownLog = await stack.sql<{ id: string }>("teabar", "SELECT id::text AS id FROM audit_events WHERE id = ANY($1::uuid[])", [ids]);
    expect(ownLog.map((row) => row.id).sort()).toEqual([...ids].sort());
    // The platform log holds the accepted ones once each, and nothing of the refused ones.
    expect((await platformEventsOf(ids)).map((event) => event.node_event_id)).toEqual([first, second]);
    expect(await receiptsOf(tooLarge)).toEqual([]);
    expect(await receiptsOf(otherBrand)).toEqual([]);

    // A later cross-brand action at teabar reaches the platform log too (nudged after the write).
    const estimate = await stack.ask(PIESHOP_ANALYST, `query { brand(id: "teabar") { audienceEstimate(expression: "interest:tea", channel: SMS) { ${ESTIMATE_FIELDS} } } }`);
    expect(estimate.errors).toEqual([]);
    const [answered] = await stack.sql<{ id: string }>("teabar", "SELECT id::text AS id FROM audit_events WHERE type = 'estimate.answered' ORDER BY seq DESC LIMIT 1");
    if (!answered) throw new Error("teabar recorded no estimate");
    const [platformCopy] = await eventually(async () => {
      const events = await platformEventsOf([answered.id]);
      return events.length > 0 ? events : undefined;
    });
    expect(platformCopy).toMatchObject({ type: "node.estimate.answered", subject: { kind: "brand", brand: "teabar" } });
  });

  it("never pushes a set-aside event again on its own", async () => {
    const before = await refusalsTable("teabar");
    expect(before).toHaveLength(2);
    // Longer than a few push periods (2 s each), with more events flowing meanwhile.
    const [later] = await queueEvents("teabar", [{ type: "estimate.answered", payload: { owner: "teabar", released: 7 } }]);
    await settled("teabar", [later as string]);
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(await refusalsTable("teabar")).toEqual(before);
    expect(await platformEventsOf(poisoned)).toEqual([]);
  });

  it("shows the brand's admin and auditor the events set aside, newest first, page by page", async () => {
    const firstPage = await stack.ask<RefusalPage>(TEABAR_ADMIN, REFUSALS, { first: 1 });
    expect(firstPage.errors).toEqual([]);
    const page1 = firstPage.data?.outboxRefusals;
    expect(page1?.edges).toHaveLength(1);
    expect(page1?.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const secondPage = await stack.ask<RefusalPage>(TEABAR_ADMIN, REFUSALS, { first: 1, after: page1?.pageInfo.endCursor });
    expect(secondPage.errors).toEqual([]);
    const page2 = secondPage.data?.outboxRefusals;
    expect(page2?.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const stored = await stack.sql<{ id: string; refused_at: Date; refusal_reason: string; refusal_message: string }>(
      "teabar",
      "SELECT id::text AS id, refused_at, refusal_reason, refusal_message FROM coordinator_outbox WHERE refused_at IS NOT NULL ORDER BY refused_at DESC, id DESC",
    );
    const expected = stored.map((row) => ({
      id: row.id,
      type: "estimate.answered",
      reason: row.refusal_reason,
      message: row.refusal_message,
      refusedAt: row.refused_at.toISOString(),
    }));
    expect([...(page1?.edges ?? []), ...(page2?.edges ?? [])].map((edge) => edge.node)).toEqual(expected);
    expect(expected.map((refusal) => refusal.id).sort()).toEqual([...poisoned].sort());

    const auditor = await stack.ask<RefusalPage>(TEABAR_AUDITOR, REFUSALS, { first: 10 });
    expect(auditor.errors).toEqual([]);
    expect(auditor.data?.outboxRefusals.edges.map((edge) => edge.node)).toEqual(expected);
    // Each brand sees its own node's: pieshop's node set nothing aside.
    const pieshop = await stack.ask<RefusalPage>({ brand: "pieshop", role: "admin" }, REFUSALS, {});
    expect(pieshop.errors).toEqual([]);
    expect(pieshop.data?.outboxRefusals.edges).toEqual([]);
  });

  it("refuses the refusals to the brand's analysts and approvers with FORBIDDEN, and bad pages with a typed error, changing nothing", async () => {
    const before = await refusalsTable("teabar");
    for (const claims of [TEABAR_ANALYST, TEABAR_APPROVER]) {
      const answer = await stack.ask<RefusalPage>(claims, REFUSALS, { first: 5 });
      expect(answer.data?.outboxRefusals ?? null).toBeNull();
      expect(answer.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    }
    const codeOf = async (variables: Record<string, unknown>) => (await stack.ask(TEABAR_ADMIN, REFUSALS, variables)).errors.map((error) => error.extensions?.code);
    expect(await codeOf({ first: 0 })).toEqual(["BAD_INPUT"]);
    expect(await codeOf({ first: 101 })).toEqual(["LIMIT_EXCEEDED"]);
    expect(await codeOf({ after: "not-a-cursor" })).toEqual(["BAD_INPUT"]);
    expect(await refusalsTable("teabar")).toEqual(before);
  });

  it("answers each pushed event on its own, in order, with a stable reason for each refusal", async () => {
    const good = randomUUID();
    const tooLarge = randomUUID();
    const answer = await stack.ask<RecordAnswer>(await nodeToken("pieshop"), RECORD, {
      events: [
        { id: tooLarge, type: "estimate.answered", payload: { owner: "pieshop", note: "x".repeat(9_000) } },
        { id: "not-a-uuid", type: "estimate.answered", payload: { owner: "pieshop" } },
        { id: randomUUID(), type: "Estimate Answered", payload: { owner: "pieshop" } },
        { id: good, type: "estimate.answered", payload: { owner: "pieshop", released: 1 } },
        { id: good, type: "estimate.answered", payload: { owner: "pieshop", released: 2 } },
      ],
    });
    expect(answer.errors).toEqual([]);
    expect(answer.data?.recordNodeEvents.recorded).toBe(1);
    expect(answer.data?.recordNodeEvents.outcomes.map(({ status, reason }) => ({ status, reason }))).toEqual([
      { status: "REFUSED", reason: "PAYLOAD_TOO_LARGE" },
      { status: "REFUSED", reason: "BAD_ID" },
      { status: "REFUSED", reason: "BAD_TYPE" },
      { status: "ACCEPTED", reason: null },
      // The same id again in the same push: already recorded, so accepted (once).
      { status: "ACCEPTED", reason: null },
    ]);
    expect(answer.data?.recordNodeEvents.outcomes.every((outcome) => outcome.status === "ACCEPTED" || (outcome.message?.length ?? 0) > 0)).toBe(true);
    expect(await receiptsOf(tooLarge)).toEqual([]);
    expect((await platformEventsOf([good])).map((event) => event.subject)).toEqual([{ kind: "brand", brand: "pieshop" }]);
  });

  it("keeps one receipt per brand and event id: the same id from two brands is two, a replay by one brand is still two", async () => {
    const id = randomUUID();
    const push = async (brandId: string) =>
      stack.ask<RecordAnswer>(await nodeToken(brandId), RECORD, { events: [{ id, type: "estimate.answered", payload: { owner: brandId, released: 3 } }] });
    const fromPieshop = await push("pieshop");
    const fromTeabar = await push("teabar");
    for (const answer of [fromPieshop, fromTeabar]) {
      expect(answer.errors).toEqual([]);
      expect(answer.data?.recordNodeEvents).toEqual({ recorded: 1, outcomes: [{ id, status: "ACCEPTED", reason: null, message: null }] });
    }
    expect(await receiptsOf(id)).toEqual([{ brand_id: "pieshop" }, { brand_id: "teabar" }]);

    // The nodes' signed heads keep arriving on their own; the replay must add nothing else.
    const notHeads = "SELECT count(*)::int AS n FROM audit_events WHERE type <> 'audit.head_recorded'";
    const [platformBefore] = await stack.sql<{ n: number }>("coordinator", notHeads);
    const replay = await push("pieshop");
    expect(replay.data?.recordNodeEvents).toEqual({ recorded: 0, outcomes: [{ id, status: "ACCEPTED", reason: null, message: null }] });
    expect(await receiptsOf(id)).toEqual([{ brand_id: "pieshop" }, { brand_id: "teabar" }]);
    expect(await stack.sql("coordinator", notHeads)).toEqual([platformBefore]);
    expect((await platformEventsOf([id])).map((event) => event.subject)).toEqual([
      { kind: "brand", brand: "pieshop" },
      { kind: "brand", brand: "teabar" },
    ]);
  });

  it("runs the node's background work as pg-boss jobs in its own database", async () => {
    // pg-boss's own queues (its cron's) start with "__pgboss".
    const queues = await stack.sql<{ name: string; policy: string }>("pieshop", "SELECT name, policy FROM pgboss.queue WHERE name NOT LIKE '\_\_pgboss%' ORDER BY name");
    expect(queues).toEqual([
      { name: "expire-outreach", policy: "stately" },
      // One job per send batch, carrying its request and batch number (no tick: made by start-sends).
      { name: "outreach-batch", policy: "short" },
      // Change-log rows every audience index of the node has applied (the audience index).
      { name: "prune-member-changes", policy: "stately" },
      { name: "pull-outreach", policy: "stately" },
      { name: "push-audit-head", policy: "stately" },
      { name: "push-outbox", policy: "stately" },
      // Automatic declines told to the requester after their drawn delay (sharing rules).
      { name: "release-declines", policy: "stately" },
      { name: "release-outreach-results", policy: "stately" },
      { name: "start-sends", policy: "stately" },
      { name: "sweep-sends", policy: "stately" },
      { name: "sync-pool", policy: "stately" },
    ]);
    // The per-minute backstop that restarts a broken chain of ticks.
    const schedules = await stack.sql<{ name: string; cron: string; key: string }>("pieshop", "SELECT name, cron, options->>'singletonKey' AS key FROM pgboss.schedule ORDER BY name");
    expect(schedules).toEqual([
      { name: "expire-outreach", cron: "* * * * *", key: "tick" },
      { name: "prune-member-changes", cron: "* * * * *", key: "tick" },
      { name: "pull-outreach", cron: "* * * * *", key: "tick" },
      { name: "push-audit-head", cron: "* * * * *", key: "tick" },
      { name: "push-outbox", cron: "* * * * *", key: "tick" },
      { name: "release-declines", cron: "* * * * *", key: "tick" },
      { name: "release-outreach-results", cron: "* * * * *", key: "tick" },
      { name: "start-sends", cron: "* * * * *", key: "tick" },
      { name: "sweep-sends", cron: "* * * * *", key: "tick" },
      { name: "sync-pool", cron: "* * * * *", key: "tick" },
    ]);
    // Each has run, and each has its next tick waiting.
    const ran = await stack.sql<{ name: string }>("pieshop", "SELECT DISTINCT name FROM pgboss.job WHERE state = 'completed' ORDER BY name");
    expect(ran.map((row) => row.name)).toEqual(["expire-outreach", "prune-member-changes", "pull-outreach", "push-audit-head", "push-outbox", "release-declines", "release-outreach-results", "start-sends", "sweep-sends", "sync-pool"]);
    const waiting = await stack.sql<{ name: string }>(
      "pieshop",
      "SELECT name FROM pgboss.job WHERE state = 'created' AND singleton_key = 'tick' ORDER BY name",
    );
    expect(waiting.map((row) => row.name)).toEqual(["expire-outreach", "prune-member-changes", "pull-outreach", "push-audit-head", "push-outbox", "release-declines", "release-outreach-results", "start-sends", "sweep-sends", "sync-pool"]);
    // In the node's own database only: the coordinator has no pg-boss schema.
    expect(await stack.sql("coordinator", "SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss'")).toEqual([]);
  });

  it("stops on SIGTERM with what it had queued pushed, no job left active and no pg-boss connection open, and resumes its jobs at restart", async () => {
    const [queued] = await queueEvents("stylehub", [{ type: "estimate.answered", payload: { owner: "stylehub", released: 9 } }]);
    const node = stack.nodes.get("stylehub");
    if (!node || !queued) throw new Error("no stylehub node");
    await node.stop();
    expect({ exitCode: node.child.exitCode, signal: node.child.signalCode }).toEqual({ exitCode: 0, signal: null });
    expect((await outboxRows("stylehub", [queued]))[0]?.pushed).toBe(true);
    expect(await stack.sql("stylehub", "SELECT name FROM pgboss.job WHERE state = 'active'")).toEqual([]);
    const [database] = await stack.sql<{ db: string }>("stylehub", "SELECT current_database() AS db");
    expect(
      await stack.sql("stylehub", "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'brandpool-jobs'", [database?.db]),
    ).toEqual([]);

    await stack.restartNode("stylehub");
    const [later] = await queueEvents("stylehub", [{ type: "estimate.answered", payload: { owner: "stylehub", released: 10 } }]);
    const [row] = await settled("stylehub", [later as string]);
    expect(row?.pushed).toBe(true);
  });
});
