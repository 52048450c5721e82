import { describe, expect, it, vi } from "vitest";
import { Authorizer } from "@brandpool/policy";
import type { AuthorizationRequest } from "@brandpool/policy";
import { DecisionMemo } from "./decision-memo.js";

const analyst = (admitted: boolean): AuthorizationRequest => ({
  principal: { kind: "user", subject: "a@pieshop", role: "analyst", brand: { id: "pieshop", admitted } },
  action: "EstimateAudience",
  resource: { kind: "brand", id: "teabar", admitted: true },
});

describe("Cedar decisions remembered across operations", () => {
  it("asks Cedar once for a request decided before, and gives its decision", () => {
    const authorizer = Authorizer.load();
    const authorize = vi.spyOn(authorizer, "authorize");
    const memo = new DecisionMemo(authorizer);
    expect(memo.allowed(analyst(true))).toBe(true);
    expect(memo.allowed(analyst(true))).toBe(true);
    expect(authorize).toHaveBeenCalledTimes(1);
    authorize.mockRestore();
  });

  it("decides anew whatever differs in the request: a brand no longer admitted is denied", () => {
    const authorizer = Authorizer.load();
    const authorize = vi.spyOn(authorizer, "authorize");
    const memo = new DecisionMemo(authorizer);
    expect(memo.allowed(analyst(true))).toBe(true);
    expect(memo.allowed(analyst(false))).toBe(false);
    expect(memo.allowed({ ...analyst(true), action: "ListMembers" })).toBe(authorizer.authorize({ ...analyst(true), action: "ListMembers" }).allowed);
    expect(authorize).toHaveBeenCalledTimes(4);
    authorize.mockRestore();
  });
});
