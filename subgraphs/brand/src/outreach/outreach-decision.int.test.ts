import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePool, createTestDatabase } from "@brandpool/postgres/testing";
import type { TestDatabase } from "@brandpool/postgres/testing";
import { NodeAudit } from "../audit/node-audit.service.js";
import { schema } from "../db/database.js";
import { withTransaction } from "../db/transaction.js";
import { STANDARD_BUDGETS } from "../privacy-ledger/budget-limits.js";
import { PerPrincipalLimiter } from "../rate-limit/per-principal-limiter.js";
import type { DecisionRule, RuleConclusion } from "./decision-step.js";
import { deliveredRequest } from "./delivered-outreach-request.fixture.js";
import { domainAllowList } from "./link-allow-list.js";
import { OutreachDecisions } from "./outreach-decision.service.js";
import { OutreachTargetService } from "./outreach-target.service.js";
import { receiveOutreachRequest } from "./receive-outreach-request.js";
import { releaseHeldDeclines } from "../rules/release-held-declines.js";

// The decision step's hook, with stand-in rules (the real ones: src/rules/): a rule decides
// before the approver, through the same checks and the same status move.
const rule = (id: string, conclusion: Omit<NonNullable<RuleConclusion>, "ruleId"> | null): DecisionRule => ({
  by: "RULE",
  conclude: async () => (conclusion ? { ...conclusion, ruleId: id } : null),
});
const user = (brand: string, role: "approver" | "analyst") => ({ kind: "user" as const, subject: `${brand}-${role}`, role, brand: { id: brand, admitted: true } });

describe("the decision step against PostgreSQL", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let audit: NodeAudit;
  const decisionsWith = (rules: DecisionRule[]) =>
    new OutreachDecisions({ brandId: "teabar", timeZone: "Asia/Shanghai", budgets: STANDARD_BUDGETS, links: domainAllowList(["pie.example"]) }, pool, audit, rules);
  const receiveWith = (decisions: OutreachDecisions, input: unknown) =>
    withTransaction(pool, (tx) => receiveOutreachRequest(tx, audit, "teabar", input, (inner, request) => decisions.onStored(inner, request)));
  const copy = async (requestId: string) =>
    (await pool.query("SELECT status, decided_by, decline_reason, approved_cap FROM incoming_requests WHERE request_id = $1", [requestId])).rows[0];
  const outbox = async (requestId: string) =>
    (await pool.query<{ type: string; payload: Record<string, unknown> }>("SELECT type, payload FROM coordinator_outbox WHERE payload->>'requestId' = $1", [requestId])).rows;

  beforeAll(async () => {
    db = await createTestDatabase({ template: "brand" });
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    audit = new NodeAudit("teabar", pool, () => undefined, new PerPrincipalLimiter({ points: 10, perSeconds: 60 }));
  });
  afterAll(async () => {
    await closePool(pool);
    await db.drop();
  });

  it("leaves a new request PENDING for the approver when no rule concludes", async () => {
    const delivery = deliveredRequest({ requestId: "3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d" });
    expect(await receiveWith(decisionsWith([rule("no-opinion", null)]), delivery)).toBe("STORED");
    expect(await copy(delivery.requestId)).toMatchObject({ status: "PENDING", decided_by: null });
    expect(await outbox(delivery.requestId)).toEqual([]);
  });

  it("lets a rule decline at receipt, and the coordinator's event is the one a person's decline makes: no reason, no decider", async () => {
    const automatic = deliveredRequest({ requestId: "4b5c6d7e-8f9a-4b0c-8d1e-2f3a4b5c6d7e" });
    await receiveWith(decisionsWith([rule("blocked-partner", { decision: "DECLINE", reason: "pieshop is blocked" })]), automatic);
    expect(await copy(automatic.requestId)).toMatchObject({ status: "DECLINED", decided_by: "rule:blocked-partner", decline_reason: "pieshop is blocked" });
    // Held until its release time (at once here): the coordinator hears nothing before.
    expect(await outbox(automatic.requestId)).toEqual([]);
    expect(await releaseHeldDeclines("teabar", pool, audit)).toBe(1);
    expect(await releaseHeldDeclines("teabar", pool, audit)).toBe(0);

    const human = deliveredRequest({ requestId: "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f" });
    const decisions = decisionsWith([]);
    await receiveWith(decisions, human);
    await decisions.decide(
      { requestId: human.requestId, contentHash: human.contentHash, decision: "DECLINE", reason: "not now" },
      { kind: "person", subject: "teabar-approver", actor: { kind: "user", subject: "teabar-approver" } },
    );
    const strip = (events: { type: string; payload: Record<string, unknown> }[]) =>
      events.map((event) => ({ type: event.type, keys: Object.keys(event.payload).sort(), status: event.payload.status }));
    expect(strip(await outbox(automatic.requestId))).toEqual(strip(await outbox(human.requestId)));
    expect(strip(await outbox(human.requestId))).toEqual([{ type: "outreach.status", keys: ["nodeEventId", "requestId", "requester", "status"], status: "DECLINED" }]);
    expect(JSON.stringify(await outbox(automatic.requestId))).not.toContain("blocked");
  });

  it("leaves the request PENDING, with nothing charged, when the checks refuse a rule's approval", async () => {
    const linked = deliveredRequest({ requestId: "6d7e8f9a-0b1c-4d2e-8f3a-4b5c6d7e8f9a" }, { message: "Code {{coupon}} at https://tracker.example/x" });
    await receiveWith(decisionsWith([rule("auto-approve", { decision: "APPROVE" })]), linked);
    expect(await copy(linked.requestId)).toMatchObject({ status: "PENDING", decided_by: null, approved_cap: null });
    expect((await pool.query("SELECT count(*)::int AS n FROM privacy_quota_usage")).rows).toEqual([{ n: 0 }]);
    expect(await outbox(linked.requestId)).toEqual([]);
    // A budget the reservation cannot cover: the quota's charge comes first and is undone with
    // the pool's refusal (the savepoint), while the copy itself stays stored.
    await pool.query("INSERT INTO privacy_pool_cap (id, epsilon_total) VALUES (1, 0.5)");
    const uncovered = deliveredRequest({ requestId: "8f9a0b1c-2d3e-4f4a-8b5c-6d7e8f9a0b1c" }, { message: "Code {{coupon}} at https://pie.example/y" });
    expect(await receiveWith(decisionsWith([rule("auto-approve", { decision: "APPROVE" })]), uncovered)).toBe("STORED");
    expect(await copy(uncovered.requestId)).toMatchObject({ status: "PENDING", decided_by: null });
    expect((await pool.query("SELECT count(*)::int AS n FROM privacy_quota_usage WHERE epsilon_spent > 0")).rows).toEqual([{ n: 0 }]);
    expect((await pool.query("SELECT type FROM audit_events WHERE subject->>'id' = $1", [uncovered.requestId])).rows).toEqual([{ type: "outreach.received" }]);
    await pool.query("DELETE FROM privacy_pool_cap");
    // The same rule approves a message that links only to the owner's domains, reserving the results.
    const clean = deliveredRequest({ requestId: "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b" }, { message: "Code {{coupon}} at https://pie.example/x" });
    await receiveWith(decisionsWith([rule("auto-approve", { decision: "APPROVE", cap: 10 })]), clean);
    expect(await copy(clean.requestId)).toMatchObject({ status: "APPROVED", decided_by: "rule:auto-approve", approved_cap: 10 });
    expect((await pool.query("SELECT question_key FROM privacy_spend")).rows).toEqual([{ question_key: `outreach-results:${clean.requestId}` }]);
  });

  it("answers a target's status to the requester and the owner, the reason to the owner only, and nothing to a third brand", async () => {
    const targets = new OutreachTargetService("teabar", drizzle(pool, { schema }));
    const declined = "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f";
    expect(await targets.view(user("pieshop", "analyst"), declined)).toEqual({ status: "DECLINED", reason: null, copy: null, decidedBy: null });
    expect(await targets.view(user("teabar", "approver"), declined)).toMatchObject({
      status: "DECLINED",
      reason: "not now",
      decidedBy: "APPROVER",
      copy: { requestId: declined, requesterBrandId: "pieshop" },
    });
    expect(await targets.view(user("stylehub", "approver"), declined)).toEqual({ status: null, reason: null, copy: null, decidedBy: null });
    expect(await targets.view(user("pieshop", "analyst"), "not-a-uuid")).toEqual({ status: null, reason: null, copy: null, decidedBy: null });
  });
});
