import { describe, expect, it } from "vitest";
import { isAppError } from "@brandpool/errors";
import { contactLimits, decideRequest, linkVerdict, parseSharingRules, policyTextHash, sendForbiddenBy } from "./sharing-rules.js";
import type { RequestFacts } from "./sharing-rules.js";

const RULES = `
@id("auto-approve-pieshop-email")
permit (principal == SharingRules::Brand::"pieshop", action == SharingRules::Action::"Approve", resource)
when { context.channel == "EMAIL" && context.requestedCap <= 10000 };

@id("block-spamco")
permit (principal == SharingRules::Brand::"spamco", action == SharingRules::Action::"Decline", resource);

@id("no-sms-at-all")
permit (principal, action == SharingRules::Action::"Decline", resource) when { context.channel == "SMS" };

@id("links-to-teabar")
permit (principal, action == SharingRules::Action::"LinkTo", resource in SharingRules::Domain::"teabar.example");

@id("never-evil")
forbid (principal, action == SharingRules::Action::"LinkTo", resource in SharingRules::Domain::"evil.example");

@id("quiet-evenings")
forbid (principal, action == SharingRules::Action::"Send", resource) when { context.localMinute >= 1080 };

@id("one-a-month")
forbid (principal, action == SharingRules::Action::"Contact", resource)
when { context.windowDays == 30 && context.partnerMessages >= 1 };
`;

const facts = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  requestId: "7f1c2a40-0000-4000-8000-000000000001",
  requester: "pieshop",
  channel: "EMAIL",
  purpose: "autumn menu",
  requestedCap: 10_000,
  linkDomains: [],
  sendAfterHour: 10,
  sendAfterWeekday: 3,
  hoursUntilExpiry: 72,
  targetCount: 1,
  ...over,
});

function refusal(text: string) {
  try {
    parseSharingRules(text);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected INVALID_POLICY");
}

describe("sharing rules", () => {
  const set = parseSharingRules(RULES);

  it("auto-approves pieshop's email requests up to 10,000 and leaves a larger one pending", () => {
    expect(decideRequest(set, facts())).toEqual({ decision: "APPROVE", reasons: ["auto-approve-pieshop-email"] });
    expect(decideRequest(set, facts({ requestedCap: 10_001 }))).toEqual({ decision: "PENDING", reasons: [] });
    expect(decideRequest(set, facts({ requester: "stylehub" })).decision).toBe("PENDING");
  });

  it("declines a blocked partner's request, and a decline wins over an approval", () => {
    expect(decideRequest(set, facts({ requester: "spamco" }))).toEqual({ decision: "DECLINE", reasons: ["block-spamco"] });
    expect(decideRequest(set, facts({ channel: "SMS" }))).toEqual({ decision: "DECLINE", reasons: ["no-sms-at-all"] });
  });

  it("reads the empty text as no rules: everything waits", () => {
    const none = parseSharingRules("");
    expect(none.policies).toEqual({});
    expect(decideRequest(none, facts())).toEqual({ decision: "PENDING", reasons: [] });
    expect(linkVerdict(none, "pieshop", "teabar.example", "EMAIL")).toBe("UNSAID");
  });

  it("allows a domain and its subdomains, forbids what a forbid names, and leaves the rest unsaid", () => {
    expect(linkVerdict(set, "pieshop", "teabar.example", "EMAIL")).toBe("ALLOW");
    expect(linkVerdict(set, "pieshop", "M.Teabar.Example", "EMAIL")).toBe("ALLOW");
    expect(linkVerdict(set, "pieshop", "teabar.example.evil.example", "EMAIL")).toBe("FORBID");
    expect(linkVerdict(set, "pieshop", "notteabar.example", "EMAIL")).toBe("UNSAID");
  });

  it("adds quiet time and lowers the frequency cap", () => {
    const id = facts().requestId;
    expect(sendForbiddenBy(set, "pieshop", id, { channel: "EMAIL", localMinute: 1100, weekday: 1 })).toEqual(["quiet-evenings"]);
    expect(sendForbiddenBy(set, "pieshop", id, { channel: "EMAIL", localMinute: 600, weekday: 1 })).toEqual([]);
    expect(contactLimits(set, "pieshop", id, "EMAIL", 2)).toEqual([{ windowDays: 30, cap: 1 }]);
  });

  it("refuses a set that does not parse, with Cedar's message and position", () => {
    const error = refusal('@id("x")\npermit (principal, action, resource) when { 1 + };');
    expect(error.code).toBe("INVALID_POLICY");
    expect(error.message).toMatch(/unexpected token/);
    expect(error.details?.["problems"]).toMatchObject([{ line: 2, start: expect.any(Number) }]);
  });

  it("refuses a policy that does not validate against the schema (an unknown context attribute)", () => {
    const error = refusal('@id("x")\npermit (principal, action == SharingRules::Action::"Decline", resource) when { context.audience < 1000 };');
    expect(error.code).toBe("INVALID_POLICY");
    expect(error.message).toMatch(/audience/);
    expect(error.details?.["problems"]).toMatchObject([{ policyId: "policy0", line: 2 }]);
  });

  it("refuses a policy without an @id, two with the same @id, and a permit that would loosen quiet hours or caps", () => {
    expect(refusal('permit (principal, action == SharingRules::Action::"Decline", resource);').message).toMatch(/@id/);
    const twice = '@id("a")\npermit (principal, action == SharingRules::Action::"Decline", resource);\n@id("a")\npermit (principal, action == SharingRules::Action::"Approve", resource);';
    expect(refusal(twice).message).toMatch(/share @id/);
    expect(refusal('@id("late")\npermit (principal, action == SharingRules::Action::"Send", resource);').message).toMatch(/only tighten/);
    expect(refusal('@id("more")\npermit (principal, action in [SharingRules::Action::"Contact"], resource);').message).toMatch(/only tighten/);
  });

  it("hashes the exact text", () => {
    expect(set.hash).toBe(policyTextHash(RULES));
    expect(parseSharingRules(`${RULES}\n`).hash).not.toBe(set.hash);
  });
});
