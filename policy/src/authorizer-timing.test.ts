import { expect, it } from "vitest";
import { Authorizer } from "./authorizer.js";
import type { AuthorizationRequest } from "./cedar-request.js";
import type { Principal } from "./principal.js";

// A figure to report, not to assert: CI machines vary too much for a time limit to mean anything.
// A loaded CI machine (seen: 6 s for the 10,000) must not fail it on vitest's default 5 s limit.
it("prints the time of 10,000 authorize calls", { timeout: 60_000 }, () => {
  const authorizer = Authorizer.load();
  const pieshop = { id: "pieshop", admitted: true };
  const teabar = { kind: "brand", id: "teabar", admitted: true } as const;
  const analyst: Principal = { kind: "user", subject: "a", role: "analyst", brand: pieshop };
  const auditor: Principal = { kind: "user", subject: "p", role: "auditor", brand: null };
  const requests: AuthorizationRequest[] = [
    { principal: analyst, action: "ListMembers", resource: { kind: "brand", ...pieshop } },
    { principal: analyst, action: "EstimateAudience", resource: teabar },
    { principal: { kind: "node", brand: pieshop }, action: "RecordEvent", resource: teabar },
    { principal: auditor, action: "ReadPlatformAudit", resource: { kind: "platform" } },
  ];
  const calls = 10_000;
  let allowed = 0;
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    if (authorizer.authorize(requests[i % requests.length]!).allowed) allowed++;
  }
  const elapsed = performance.now() - start;
  const total = `${elapsed.toFixed(0)} ms`;
  const perCall = `${((elapsed / calls) * 1000).toFixed(1)} µs per call`;
  console.log(`[policy] ${calls} authorize calls: ${total}, ${perCall}`);
  // One request in four (the node recording another brand's event) is denied.
  expect(allowed).toBe(calls * 0.75);
});
