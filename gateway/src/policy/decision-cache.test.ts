import { describe, expect, it } from "vitest";
import { Authorizer } from "@brandpool/policy";
import type { Principal } from "@brandpool/policy";
import { DecisionCache } from "./decision-cache.js";

const analyst = (brand: string, admitted = true): Principal => ({ kind: "user", subject: `${brand}-ana`, role: "analyst", brand: { id: brand, admitted } });

function counting() {
  const real = Authorizer.load();
  let calls = 0;
  return {
    authorizer: { authorize: (request: Parameters<Authorizer["authorize"]>[0]) => (calls++, real.authorize(request)) },
    calls: () => calls,
  };
}

describe("DecisionCache", () => {
  it("asks Cedar once per principal, action and resource, and answers repeats as Cedar did", () => {
    const { authorizer, calls } = counting();
    const cache = new DecisionCache(authorizer);
    const request = { principal: analyst("pieshop"), action: "EstimateAudience" as const, resource: { kind: "brand" as const, id: "teabar", admitted: true } };
    const first = cache.authorize(request);
    expect(first.allowed).toBe(true);
    expect(cache.authorize({ ...request })).toEqual(first);
    expect(calls()).toBe(1);
  });

  it("is a new question when any fact Cedar reads differs: admitted, brand, subject, role, action, resource", () => {
    const { authorizer, calls } = counting();
    const cache = new DecisionCache(authorizer);
    const resource = { kind: "brand" as const, id: "pieshop", admitted: true };
    expect(cache.authorize({ principal: analyst("pieshop"), action: "ListMembers", resource }).allowed).toBe(true);
    expect(cache.authorize({ principal: analyst("teabar"), action: "ListMembers", resource }).allowed).toBe(false);
    expect(cache.authorize({ principal: analyst("pieshop", false), action: "ListMembers", resource: { ...resource, admitted: false } }).allowed).toBe(
      Authorizer.load().authorize({ principal: analyst("pieshop", false), action: "ListMembers", resource: { ...resource, admitted: false } }).allowed,
    );
    cache.authorize({ principal: { kind: "user", subject: "pieshop-ana", role: "approver", brand: { id: "pieshop", admitted: true } }, action: "ListMembers", resource });
    cache.authorize({ principal: analyst("pieshop"), action: "EstimateAudience", resource });
    cache.authorize({ principal: analyst("pieshop"), action: "ListMembers", resource: { kind: "platform" } });
    expect(calls()).toBe(6);
  });

  it("starts again empty when full", () => {
    const { authorizer, calls } = counting();
    const cache = new DecisionCache(authorizer, 1);
    const resource = { kind: "brand" as const, id: "pieshop", admitted: true };
    cache.authorize({ principal: analyst("pieshop"), action: "ListMembers", resource });
    cache.authorize({ principal: analyst("teabar"), action: "ListMembers", resource });
    cache.authorize({ principal: analyst("pieshop"), action: "ListMembers", resource });
    expect(calls()).toBe(3);
  });
});
