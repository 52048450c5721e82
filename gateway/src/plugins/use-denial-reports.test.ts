import { afterEach, describe, expect, it, vi } from "vitest";
import type { BrandRoute } from "../routing/routing-table.js";
import { useDenialReports } from "./use-denial-reports.js";

const COORDINATOR = { url: "http://coordinator.invalid/graphql", audience: "coordinator" };
const ANALYST = {
  forwarded: { kind: "user" as const, subject: "ana", brand: "pieshop", role: "analyst" as const, tokenId: "t1" },
  principal: { kind: "user" as const, subject: "ana", role: "analyst" as const, brand: { id: "pieshop", admitted: true } },
};
const TEABAR = { id: "teabar", nodeUrl: "http://teabar.invalid/graphql" } as BrandRoute;

function setup(routes: Record<string, BrandRoute>, fail = false) {
  const sent: { url: string; audience: string; query: string; variables: unknown }[] = [];
  const services = {
    query: async (target: { url: string; audience: string }, query: string, variables: Record<string, unknown> = {}) => {
      sent.push({ ...target, query, variables });
      if (fail) throw new Error("down");
      return {};
    },
  };
  const routing = { get: async (brandId: string) => routes[brandId] };
  return { sent, report: useDenialReports({ services, coordinator: COORDINATOR, routing }) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("useDenialReports", () => {
  it("reports a denial at a brand to the coordinator and to that brand's node", async () => {
    const { sent, report } = setup({ teabar: TEABAR });
    report({ action: "EstimateAudience", caller: ANALYST, brandId: "teabar" });
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    const actor = { kind: "user", subject: "ana", role: "analyst", brand: "pieshop" };
    expect(sent[0]).toMatchObject({ url: COORDINATOR.url, audience: COORDINATOR.audience, variables: { input: { action: "EstimateAudience", brandId: "teabar", actor } } });
    expect(sent[0]?.query).toContain("recordPolicyDenial");
    expect(sent[1]).toMatchObject({ url: TEABAR.nodeUrl, variables: { input: { action: "EstimateAudience", actor } } });
    expect(sent[1]?.audience).toBe("node:teabar");
    expect(sent[1]?.query).toContain("recordGatewayDenial");
  });

  it("reports a platform denial, or one at an unknown brand, to the coordinator only", async () => {
    const { sent, report } = setup({});
    report({ action: "RegisterBrand", caller: ANALYST, brandId: null });
    report({ action: "EstimateAudience", caller: ANALYST, brandId: "nobody" });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent.map((call) => call.url)).toEqual([COORDINATOR.url, COORDINATOR.url]);
  });

  it("logs a lost report by its action only, and does not throw", async () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const { report } = setup({ teabar: TEABAR }, true);
    expect(() => report({ action: "EstimateAudience", caller: ANALYST, brandId: "teabar" })).not.toThrow();
    await vi.waitFor(() => expect(write).toHaveBeenCalledTimes(2));
    expect(write.mock.calls.map(([line]) => line)).toEqual([
      "[gateway] could not record a policy denial (EstimateAudience)\n",
      "[gateway] could not record a policy denial (EstimateAudience)\n",
    ]);
  });
});
