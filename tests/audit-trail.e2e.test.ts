import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvents, exportAuditLog } from "@brandpool/audit-chain";
import { graphqlRequest } from "@brandpool/stack";
import type { GraphQLResponse } from "@brandpool/stack";
import { importPrivateKey, mintForwardedToken, mintNodeClientToken, serviceAudience } from "@brandpool/tokens";
import { eventually, startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";
import { ESTIMATE_FIELDS, currentPeriod, exactCount, expectedAnswer, expectedCommitment, expectedRelease, questionKeyOf } from "./support/privacy-oracle.js";
import type { AudienceEstimate } from "./support/privacy-oracle.js";

// DESIGN.md invariant 5: every cross-brand action is an event in the owner node's log and in the
// coordinator's log, both append-only and hash-chained, checkable online and offline.

const run = promisify(execFile);
const CLI = "packages/audit-chain/dist/cli.js";

const PIESHOP_ANALYST = { brand: "pieshop", role: "analyst" } as const;
const STYLEHUB_ANALYST = { brand: "stylehub", role: "analyst" } as const;
const PLATFORM_AUDITOR = { role: "auditor" } as const;
const PIESHOP_APPROVER = { brand: "pieshop", role: "approver" } as const;
const DENIED_ACTOR = { kind: "user", subject: "pieshop-approver@dev", brand: "pieshop", role: "approver" };

interface AuditRow {
  seq: number;
  id: string;
  type: string;
  actor: Record<string, unknown>;
  subject: Record<string, unknown>;
  payload: Record<string, unknown>;
}

interface Verification {
  ok: boolean;
  checked: number;
  firstBrokenEventId: string | null;
}

const VERIFY_FIELDS = "ok checked firstBrokenEventId";

// What the platform log may hold of an answered estimate: the released figure and a commitment to
// the exact one, never the exact or the unreleased noisy figure.
const PLATFORM_ESTIMATE_FIELDS = [
  "actor",
  "belowThreshold",
  "epsilon",
  "epsilonSpent",
  "exactCommitment",
  "margin95",
  "nodeEventId",
  "owner",
  "period",
  "question",
  "released",
  "repeated",
  "requester",
  "threshold",
];

describe("the audit trail of cross-brand actions", () => {
  let stack: TestStack;
  let workDir: string;
  beforeAll(async () => {
    stack = await startTestStack();
    workDir = await mkdtemp(join(tmpdir(), "brandpool-audit-"));
  });
  afterAll(async () => {
    await stack?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const auditLog = (database: string, where = "true", values: unknown[] = []) =>
    stack.sql<AuditRow>(database, `SELECT seq::int AS seq, id::text AS id, type, actor, subject, payload FROM audit_events WHERE ${where} ORDER BY seq`, values);

  /** The platform events recorded from a node's pushes of these node events, once they are all there. */
  const platformEventsOf = (nodeEventIds: readonly string[]) =>
    eventually(async () => {
      const rows = await auditLog("coordinator", "payload->>'nodeEventId' = ANY($1::text[])", [nodeEventIds]);
      return rows.length >= nodeEventIds.length ? rows : undefined;
    });

  const estimateAt = (claims: Parameters<TestStack["ask"]>[0], brandId: string, expression: string) =>
    stack.ask<{ brand: { audienceEstimate: AudienceEstimate } | null }>(
      claims,
      `query($id: ID!, $expression: String!) { brand(id: $id) { audienceEstimate(expression: $expression, channel: SMS) { ${ESTIMATE_FIELDS} } } }`,
      { id: brandId, expression },
    );

  const verifyAtRoot = async (claims: Parameters<TestStack["ask"]>[0]) =>
    stack.ask<{ verifyAuditChain: Verification }>(claims, `{ verifyAuditChain { ${VERIFY_FIELDS} } }`);
  const verifyAtBrand = async (claims: Parameters<TestStack["ask"]>[0], brandId: string) =>
    stack.ask<{ brand: { verifyAuditChain: Verification } | null }>(
      claims,
      `query($id: ID!) { brand(id: $id) { verifyAuditChain { ${VERIFY_FIELDS} } } }`,
      { id: brandId },
    );

  it("records each cross-brand estimate with its exact count in the owner's log and only the released figure in the platform log", async () => {
    const expression = "age:25-34 and interest:tea";
    const exact = await exactCount(stack, "teabar", { allOf: ["age:25-34", "interest:tea"] }, "SMS");
    const released = expectedRelease(stack, "teabar", expression, "SMS", exact);
    expect((await estimateAt(PIESHOP_ANALYST, "teabar", expression)).errors).toEqual([]);
    // The same question from another partner is a cross-brand action too, charged to that partner.
    expect((await estimateAt(STYLEHUB_ANALYST, "teabar", expression)).errors).toEqual([]);

    const common = { owner: "teabar", question: questionKeyOf(expression, "SMS"), period: currentPeriod() };
    const ownerEvents = await auditLog("teabar", "type = 'estimate.answered'");
    expect(ownerEvents.map((event) => ({ actor: event.actor, subject: event.subject, payload: event.payload }))).toEqual([
      {
        actor: { kind: "user", subject: "pieshop-analyst@dev", role: "analyst", brand: "pieshop" },
        subject: { kind: "brand", brand: "teabar" },
        payload: { ...common, requester: "pieshop", repeated: false, exact, noisy: released.noisy, threshold: 50, epsilonSpent: 0.1 },
      },
      {
        actor: { kind: "user", subject: "stylehub-analyst@dev", role: "analyst", brand: "stylehub" },
        subject: { kind: "brand", brand: "teabar" },
        payload: { ...common, requester: "stylehub", repeated: false, exact, noisy: released.noisy, threshold: 50, epsilonSpent: 0.1 },
      },
    ]);

    const platformEvents = await platformEventsOf(ownerEvents.map((event) => event.id));
    expect(platformEvents.map((event) => event.payload.nodeEventId)).toEqual(ownerEvents.map((event) => event.id));
    for (const [index, event] of platformEvents.entries()) {
      expect(event.type).toBe("node.estimate.answered");
      // Recorded as the owner's node's own statement, about the owner.
      expect(event.actor).toEqual({ kind: "node", brand: "teabar" });
      expect(event.subject).toEqual({ kind: "brand", brand: "teabar" });
      expect(Object.keys(event.payload).sort()).toEqual(PLATFORM_ESTIMATE_FIELDS);
      expect(event.payload).toMatchObject({
        ...common,
        requester: index === 0 ? "pieshop" : "stylehub",
        repeated: false,
        epsilonSpent: 0.1,
        released: released.count,
        belowThreshold: released.belowThreshold,
        exactCommitment: expectedCommitment(stack, "teabar", expression, "SMS", exact),
      });
    }
  });

  it("records a denial by the gateway's policy check in the platform log", async () => {
    const answersBefore = await stack.sql("teabar", "SELECT question_key FROM privacy_answers ORDER BY question_key");
    // A pieshop approver may decide on requests but not estimate: the gateway's Cedar check
    // refuses before any fetch reaches teabar's node.
    const denied = await estimateAt(PIESHOP_APPROVER, "teabar", "interest:baking");
    expect(denied.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(denied.data?.brand?.audienceEstimate ?? null).toBeNull();
    const gatewayDenial = await eventually(async () => {
      const [row] = await auditLog("coordinator", "type = 'policy.denied' AND actor->>'subject' = 'pieshop-approver@dev'");
      return row;
    });
    expect(gatewayDenial).toMatchObject({
      actor: DENIED_ACTOR,
      subject: { kind: "brand", brand: "teabar" },
      payload: { action: "EstimateAudience", decidedBy: "gateway" },
    });
    expect(await stack.sql("teabar", "SELECT question_key FROM privacy_answers ORDER BY question_key")).toEqual(answersBefore);
  });

  it("records a denial by the gateway's policy check in the owner's log too", async () => {
    // The previous test's denial concerned teabar: invariant 5 wants it in teabar's own log.
    const ownerDenial = await eventually(async () => {
      const [row] = await auditLog("teabar", "type = 'policy.denied' AND actor->>'subject' = 'pieshop-approver@dev'");
      return row;
    }, 5_000).catch(() => undefined);
    expect(ownerDenial).toMatchObject({ subject: { kind: "brand", brand: "teabar" }, payload: { action: "EstimateAudience" } });
  });

  it("records a denial by the owner node's own policy check in its log and in the platform log", async () => {
    const teabarBefore = await auditLog("teabar");
    const answersBefore = await stack.sql("teabar", "SELECT question_key FROM privacy_answers ORDER BY question_key");
    // At the node itself (as if a gateway had let the call through): its own Cedar check refuses,
    // and it records the denial in its log and owes it to the platform's.
    const gatewayKey = await importPrivateKey(stack.keys.gateway);
    const forwarded = await mintForwardedToken(gatewayKey, stack.keys.gateway.kid ?? "gateway", serviceAudience({ kind: "node", brandId: "teabar" }), {
      kind: "user",
      subject: "pieshop-approver@dev",
      brand: "pieshop",
      role: "approver",
      tokenId: randomUUID(),
    });
    const atNode = await graphqlRequest(
      stack.nodes.get("teabar")?.url ?? "",
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Brand { audienceEstimate(expression: "interest:baking", channel: SMS) { count } } } }`,
      { token: forwarded, variables: { representations: [{ __typename: "Brand", id: "teabar" }] } },
    );
    expect(atNode.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    const teabarAfter = await auditLog("teabar");
    const added = teabarAfter.slice(teabarBefore.length);
    expect(teabarAfter.slice(0, teabarBefore.length)).toEqual(teabarBefore);
    expect(added.map(({ type, actor, subject, payload }) => ({ type, actor, subject, payload }))).toEqual([
      {
        type: "policy.denied",
        actor: { kind: "user", subject: "pieshop-approver@dev", role: "approver", brand: "pieshop" },
        subject: { kind: "brand", brand: "teabar" },
        payload: { action: "EstimateAudience", decision: "deny" },
      },
    ]);
    const [pushed] = await platformEventsOf(added.map((event) => event.id));
    expect(pushed).toMatchObject({
      type: "node.policy.denied",
      actor: { kind: "node", brand: "teabar" },
      subject: { kind: "brand", brand: "teabar" },
      payload: { action: "EstimateAudience", decision: "deny", actor: DENIED_ACTOR, subject: { kind: "brand", brand: "teabar" } },
    });
    expect(await stack.sql("teabar", "SELECT question_key FROM privacy_answers ORDER BY question_key")).toEqual(answersBefore);
  });

  it("verifies the platform chain and a brand's chain for the auditors allowed, and refuses another brand's auditor", async () => {
    const [coordinatorCount] = await stack.sql<{ n: number }>("coordinator", "SELECT count(*)::int AS n FROM audit_events");
    const platform = await verifyAtRoot(PLATFORM_AUDITOR);
    expect(platform.errors).toEqual([]);
    expect(platform.data?.verifyAuditChain).toMatchObject({ ok: true, firstBrokenEventId: null });
    expect(platform.data?.verifyAuditChain.checked).toBeGreaterThanOrEqual(coordinatorCount?.n ?? Number.POSITIVE_INFINITY);

    const [teabarCount] = await stack.sql<{ n: number }>("teabar", "SELECT count(*)::int AS n FROM audit_events");
    for (const auditor of [{ brand: "teabar", role: "auditor" } as const, PLATFORM_AUDITOR]) {
      const result = await verifyAtBrand(auditor, "teabar");
      expect(result.errors).toEqual([]);
      expect(result.data?.brand?.verifyAuditChain).toEqual({ ok: true, checked: teabarCount?.n, firstBrokenEventId: null });
    }

    const foreign = await verifyAtBrand({ brand: "pieshop", role: "auditor" }, "teabar");
    expect(foreign.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(foreign.data?.brand?.verifyAuditChain ?? null).toBeNull();
    // A brand auditor is not a platform auditor either.
    const brandAtRoot = await verifyAtRoot({ brand: "teabar", role: "auditor" });
    expect(brandAtRoot.errors.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(brandAtRoot.data?.verifyAuditChain ?? null).toBeNull();
  });

  it("answers the other partners and gives one UNAVAILABLE error for a node that is down", async () => {
    const stylehub = stack.nodes.get("stylehub");
    if (!stylehub) throw new Error("no stylehub node");
    // Answered and pushed while stylehub is up (the next test has it pushed again).
    expect((await estimateAt(PIESHOP_ANALYST, "stylehub", "interest:fashion")).errors).toEqual([]);
    await stylehub.stop();

    const both = await stack.ask<Record<string, { audienceEstimate: AudienceEstimate | null } | null>>(
      PIESHOP_ANALYST,
      `{ teabar: brand(id: "teabar") { audienceEstimate(expression: "interest:travel", channel: SMS) { ${ESTIMATE_FIELDS} } }
         stylehub: brand(id: "stylehub") { audienceEstimate(expression: "interest:travel", channel: SMS) { ${ESTIMATE_FIELDS} } } }`,
    );
    expect(both.errors.map((error) => ({ code: error.extensions?.code, at: error.path?.[0] }))).toEqual([{ code: "UNAVAILABLE", at: "stylehub" }]);
    expect(both.data?.stylehub?.audienceEstimate ?? null).toBeNull();
    // The operator learns which node and why; the caller learns neither.
    expect(stack.gateway.output()).toMatch(/\[gateway\] node stylehub did not answer: ECONNREFUSED/);
    expect(JSON.stringify(both.errors)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    const exact = await exactCount(stack, "teabar", { allOf: ["interest:travel"] }, "SMS");
    expect(both.data?.teabar?.audienceEstimate).toEqual(expectedAnswer(expectedRelease(stack, "teabar", "interest:travel", "SMS", exact), false));
  });

  it("pushes the events a node had queued when it went down, each recorded once, when it is back", async () => {
    const stylehub = stack.nodes.get("stylehub");
    if (!stylehub) throw new Error("no stylehub node");
    await stylehub.stop();
    const [answered] = await auditLog("stylehub", "type = 'estimate.answered'");
    if (!answered) throw new Error("stylehub recorded no estimate");
    const [firstPush] = await platformEventsOf([answered.id]);
    const [pushedRow] = await stack.sql<{ id: string }>(
      "stylehub",
      "SELECT id::text AS id FROM coordinator_outbox WHERE pushed_at IS NOT NULL AND payload->>'nodeEventId' = $1",
      [answered.id],
    );
    if (!pushedRow) throw new Error("stylehub's estimate was not marked pushed");

    // While it was down: an event it had recorded but not yet pushed (appended the way the node
    // does, with its outbox row in the same transaction), and a push whose acknowledgement was lost.
    const queued = await queueNodeEvent(stylehub.databaseUrl);
    await stack.sql("stylehub", "UPDATE coordinator_outbox SET pushed_at = NULL WHERE id = $1", [pushedRow.id]);

    await stack.restartNode("stylehub");
    await eventually(async () => {
      const [row] = await stack.sql<{ n: number }>("stylehub", "SELECT count(*)::int AS n FROM coordinator_outbox WHERE pushed_at IS NULL");
      return row?.n === 0 ? true : undefined;
    });
    const [caughtUp] = await platformEventsOf([queued]);
    expect(caughtUp).toMatchObject({ type: "node.estimate.answered", actor: { kind: "node", brand: "stylehub" }, payload: { nodeEventId: queued } });
    // The re-pushed event is recorded once, as first pushed.
    expect(await auditLog("coordinator", "payload->>'nodeEventId' = $1", [answered.id])).toEqual([firstPush]);

    // The same event pushed again by stylehub's node itself, even with another payload: accepted once.
    const nodeKey = stack.keys.nodes.stylehub?.key;
    if (!nodeKey) throw new Error("no stylehub key");
    const token = await mintNodeClientToken(await importPrivateKey(nodeKey), nodeKey.kid ?? "node", "stylehub");
    // The nodes' signed heads keep arriving on their own; the repeat must add nothing else.
    const notHeads = "SELECT count(*)::int AS n FROM audit_events WHERE type <> 'audit.head_recorded'";
    const [coordinatorBefore] = await stack.sql<{ n: number }>("coordinator", notHeads);
    const again: GraphQLResponse<{ recordNodeEvents: { recorded: number } }> = await graphqlRequest(
      stack.gatewayUrl,
      "mutation($events: [NodeEventInput!]!) { recordNodeEvents(events: $events) { recorded } }",
      { token, variables: { events: [{ id: pushedRow.id, type: "estimate.answered", payload: { owner: "stylehub", released: 1 } }] } },
    );
    expect(again.errors).toEqual([]);
    expect(again.data?.recordNodeEvents.recorded).toBe(0);
    expect(await stack.sql("coordinator", notHeads)).toEqual([coordinatorBefore]);
    expect(await auditLog("coordinator", "payload->>'nodeEventId' = $1", [answered.id])).toEqual([firstPush]);

    const chain = await verifyAtBrand({ brand: "stylehub", role: "auditor" }, "stylehub");
    expect(chain.data?.brand?.verifyAuditChain).toMatchObject({ ok: true, firstBrokenEventId: null });
  });

  it("checks an exported log offline with audit:verify and names the event of a tampered line", async () => {
    const file = join(workDir, "teabar.jsonl");
    const lines = await exportNodeLog(stack.nodes.get("teabar")?.databaseUrl ?? "");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    await writeFile(file, lines.join(""));

    const whole = await run("npm", ["run", "-s", "audit:verify", "--", file]);
    expect(whole.stdout.trim()).toBe(`ok: ${lines.length} events`);
    const direct = await run(process.execPath, [CLI, file]);
    expect(direct.stdout.trim()).toBe(`ok: ${lines.length} events`);

    // The owner's exact count in its first estimate event, rewritten in the file.
    const index = lines.findIndex((line) => line.includes('"type":"estimate.answered"'));
    const line = lines[index] ?? "";
    const event = JSON.parse(line) as { id: string; payload: { exact: number } };
    const tampered = line.replace(`"exact": ${event.payload.exact}`, `"exact": ${event.payload.exact + 1}`);
    expect(tampered).not.toBe(line);
    await writeFile(file, [...lines.slice(0, index), tampered, ...lines.slice(index + 1)].join(""));
    const broken = await run(process.execPath, [CLI, file]).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(broken.code).toBe(1);
    expect(broken.stdout.trim()).toBe(`broken at event ${event.id} (after ${index} events)`);
    expect(await readFile(file, "utf8")).toContain(tampered);
  });

  it("refuses UPDATE, DELETE and TRUNCATE of an audit log at the database", async () => {
    for (const database of ["teabar", "coordinator"]) {
      const before = await auditLog(database);
      const tried = [
        "UPDATE audit_events SET payload = '{}'::jsonb WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)",
        "TRUNCATE audit_events",
      ];
      for (const statement of tried) {
        await expect(stack.sql(database, statement), `${database}: ${statement}`).rejects.toThrow(/append-only/);
      }
      expect(await auditLog(database, `seq <= ${before.length}`)).toEqual(before);
    }
  });

  it("names exactly the event a superuser rewrote, in the owner's chain and in the platform chain", async () => {
    const [ownerEvent] = await auditLog("teabar", "type = 'estimate.answered'");
    const [platformEvent] = await auditLog("coordinator", "type = 'node.estimate.answered'");
    if (!ownerEvent || !platformEvent) throw new Error("nothing to tamper with");
    // Bypassing the append-only trigger takes a superuser; the chain still shows it.
    await stack.sql(
      "teabar",
      `SET session_replication_role = replica;
       UPDATE audit_events SET payload = jsonb_set(payload, '{exact}', '0') WHERE seq = ${ownerEvent.seq};
       SET session_replication_role = origin;`,
    );
    await stack.sql(
      "coordinator",
      `SET session_replication_role = replica;
       UPDATE audit_events SET payload = jsonb_set(payload, '{released}', '1') WHERE seq = ${platformEvent.seq};
       SET session_replication_role = origin;`,
    );

    for (const auditor of [{ brand: "teabar", role: "auditor" } as const, PLATFORM_AUDITOR]) {
      const owner = await verifyAtBrand(auditor, "teabar");
      expect(owner.errors).toEqual([]);
      expect(owner.data?.brand?.verifyAuditChain).toEqual({ ok: false, checked: ownerEvent.seq, firstBrokenEventId: ownerEvent.id });
    }
    const platform = await verifyAtRoot(PLATFORM_AUDITOR);
    expect(platform.errors).toEqual([]);
    expect(platform.data?.verifyAuditChain).toEqual({ ok: false, checked: platformEvent.seq, firstBrokenEventId: platformEvent.id });
    // The other nodes' chains are untouched.
    expect((await verifyAtBrand(PLATFORM_AUDITOR, "pieshop")).data?.brand?.verifyAuditChain).toMatchObject({ ok: true });
  });
});

async function exportNodeLog(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const lines: string[] = [];
    for await (const line of exportAuditLog(client, "audit_events")) lines.push(line);
    return lines;
  } finally {
    await client.end();
  }
}

/**
 * What a node leaves behind when it stops between recording an estimate and pushing it: the event
 * in its own log and the platform's copy in its outbox, committed together. Returns the event id.
 */
async function queueNodeEvent(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    const common = { owner: "stylehub", requester: "pieshop", question: "v1|channel=SMS|interest:outdoors", period: currentPeriod(), repeated: false };
    const [event] = await appendAuditEvents(client, "audit_events", [
      {
        type: "estimate.answered",
        actor: { kind: "user", subject: "pieshop-analyst@dev", role: "analyst", brand: "pieshop" },
        subject: { kind: "brand", brand: "stylehub" },
        payload: { ...common, exact: 120, noisy: 117, threshold: 50 },
      },
    ]);
    if (!event) throw new Error("nothing appended");
    await client.query("INSERT INTO coordinator_outbox (id, type, payload) VALUES ($1, $2, $3)", [
      event.id,
      "estimate.answered",
      { ...common, released: 117, belowThreshold: false, threshold: 50, margin95: 30, epsilon: 0.1, nodeEventId: event.id },
    ]);
    await client.query("COMMIT");
    return event.id;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
