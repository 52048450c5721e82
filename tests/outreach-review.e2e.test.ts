import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eligibleMembers, requestOutreach } from "./support/outreach-sending.js";
import { UPDATE, codes } from "./support/sharing-rules.js";
import { startTestStack } from "./support/test-stack.js";
import type { TestStack } from "./support/test-stack.js";

// Issue 10, the inbox's extras: what the owner's approver reads beside a request (the exact
// audience in its own data, what its rules say, when it would be sent given quiet hours), answered
// by the owner's node to the owner's approvers and admins only, never to the requester.

const REVIEW = `query($id: ID!) { outreachRequest(id: $id) { targets { brandId exactAudience sendsAt rulesDecision { requestId decision reasons } } } }`;
const ONE_FIELD = (field: string) => `query($id: ID!) { outreachRequest(id: $id) { targets { brandId ${field} } } }`;
const AUTO_APPROVE_SMALL = `@id("approve-small-pieshop-sms")
permit (principal == SharingRules::Brand::"pieshop", action == SharingRules::Action::"Approve", resource)
when { context.channel == "SMS" && context.requestedCap <= 100 };
`;
type Review = { brandId: string; exactAudience: number | null; sendsAt: string | null; rulesDecision: { requestId: string; decision: string; reasons: string[] } | null };

/** A quiet window around now, in UTC (teabar's time zone here): from an hour ago to two hours on. */
const now = new Date();
const hh = (hour: number) => String(((hour % 24) + 24) % 24).padStart(2, "0");
const QUIET = `${hh(now.getUTCHours() - 1)}:00-${hh(now.getUTCHours() + 2)}:00`;
function quietEnds(): Date {
  const end = new Date(now);
  end.setUTCHours(now.getUTCHours() + 2, 0, 0, 0);
  return end;
}

describe("the owner's review fields on a request addressed to it", () => {
  let stack: TestStack;
  let requestId: string;

  beforeAll(async () => {
    stack = await startTestStack({
      nodeEnv: (brandId): Record<string, string> => (brandId === "teabar" ? { TIME_ZONE: "UTC", QUIET_HOURS: QUIET } : {}),
    });
    // Saved before the request arrives would decide it at pickup; saved after, the field says what they would do now.
    requestId = await requestOutreach(stack, ["teabar", "stylehub"], { expression: "interest:tea", channel: "SMS", message: "A pie for your tea, code {{coupon}}", maxRecipientsPerBrand: 80 });
    const saved = await stack.ask({ brand: "teabar", role: "admin" }, UPDATE, { p: AUTO_APPROVE_SMALL });
    expect(saved.errors ?? []).toEqual([]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("gives teabar's approver and admin the exact consenting audience, its rules' word and the send time past its quiet hours", async () => {
    const oracle = await eligibleMembers(stack, "teabar", { anyOf: [["interest:tea"]], channel: "SMS", excludeRequest: requestId });
    expect(oracle.length).toBeGreaterThan(50);
    for (const role of ["approver", "admin"] as const) {
      const read = await stack.ask<{ outreachRequest: { targets: Review[] } }>({ brand: "teabar", role }, REVIEW, { id: requestId });
      // An owner sees its own target only (the coordinator shows it no other owner's).
      expect(read.errors ?? []).toEqual([]);
      expect(read.data?.outreachRequest.targets).toEqual([
        {
          brandId: "teabar",
          exactAudience: oracle.length,
          sendsAt: quietEnds().toISOString(),
          rulesDecision: { requestId, decision: "APPROVE", reasons: ["approve-small-pieshop-sms"] },
        },
      ]);
    }
    // The request is still waiting: the rules decide at pickup only, and reading changed nothing.
    expect(await stack.sql("teabar", "SELECT status FROM incoming_requests WHERE request_id = $1", [requestId])).toEqual([{ status: "PENDING" }]);
  });

  it("refuses the requester every review field of teabar's copy, through the gateway, with FORBIDDEN and null", async () => {
    // Bad input: the requester's own people (every role), and teabar's analyst and auditor, ask for teabar's figures.
    const callers = [
      { brand: "pieshop", role: "analyst" },
      { brand: "pieshop", role: "approver" },
      { brand: "pieshop", role: "admin" },
      { brand: "teabar", role: "analyst" },
      { brand: "teabar", role: "auditor" },
    ] as const;
    for (const caller of callers) {
      for (const field of ["exactAudience", "sendsAt", "rulesDecision { decision reasons }"]) {
        const read = await stack.ask<{ outreachRequest: { targets: Record<string, unknown>[] } | null }>(caller, ONE_FIELD(field), { id: requestId });
        const name = field.split(" ")[0] as string;
        const values = (read.data?.outreachRequest?.targets ?? []).map((target) => target[name] ?? null);
        expect(values.every((value) => value === null), `${caller.brand} ${caller.role} ${name}`).toBe(true);
        expect(codes(read)?.length, `${caller.brand} ${caller.role} ${name}`).toBeGreaterThan(0);
        expect(new Set(codes(read)), `${caller.brand} ${caller.role} ${name}`).toEqual(new Set(["FORBIDDEN"]));
        // The exact figure is nowhere in the answer, not even in an error's text.
        expect(JSON.stringify(read)).not.toMatch(/"exactAudience":\d/);
      }
    }
    // Bad input: a hand-written entity fetch of teabar's target, which the gateway refuses to clients.
    const direct = await stack.ask<{ _entities: unknown[] }>({ brand: "pieshop", role: "admin" }, `query($r: [_Any!]!) { _entities(representations: $r) { ... on OutreachTarget { exactAudience } } }`, {
      r: [{ __typename: "OutreachTarget", requestId, brandId: "teabar" }],
    });
    expect(JSON.stringify(direct.data ?? null)).not.toMatch(/\d{2,}/);
    expect(new Set(codes(direct))).toEqual(new Set(["BAD_INPUT"]));
  });
  it("moves the send time past the rules' quiet time too, where it ends after the node's quiet hours", async () => {
    // The rules forbid sending to pieshop in the hour right after the node's quiet hours end.
    const quietHourAfter = quietEnds().getUTCHours();
    const rules = `${AUTO_APPROVE_SMALL}
@id("no-pieshop-after-quiet")
forbid (principal == SharingRules::Brand::"pieshop", action == SharingRules::Action::"Send", resource)
when { context.localHour == ${quietHourAfter} };
`;
    const saved = await stack.ask({ brand: "teabar", role: "admin" }, UPDATE, { p: rules });
    expect(saved.errors ?? []).toEqual([]);
    const read = await stack.ask<{ outreachRequest: { targets: Review[] } }>({ brand: "teabar", role: "approver" }, REVIEW, { id: requestId });
    expect(read.data?.outreachRequest.targets[0]?.sendsAt).toBe(new Date(quietEnds().getTime() + 3_600_000).toISOString());
    // The requester learns nothing of the owner's quiet time either.
    const requester = await stack.ask({ brand: "pieshop", role: "analyst" }, ONE_FIELD("sendsAt"), { id: requestId });
    expect(JSON.stringify(requester.data)).not.toMatch(/"sendsAt":"/);
    expect(new Set(codes(requester))).toEqual(new Set(["FORBIDDEN"]));
  });
});
