import { describe, expect, it } from "vitest";
import { AppError } from "@brandpool/errors";
import { deliveredRequest } from "./delivered-outreach-request.fixture.js";
import { verifyDelivery } from "./receive-outreach-request.js";

function reasonOf(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return { code: (error as AppError).code, reason: ((error as AppError).details as { reason?: string } | undefined)?.reason };
  }
  return "accepted";
}

describe("verifyDelivery", () => {
  it("accepts a delivery whose hash the node recomputes from the fields it received", () => {
    expect(verifyDelivery(deliveredRequest(), "teabar").requestId).toBe(deliveredRequest().requestId);
  });

  it("accepts the same content with its targets in another order", () => {
    expect(reasonOf(() => verifyDelivery(deliveredRequest({ targetBrandIds: ["stylehub", "teabar"] }), "teabar"))).toBe("accepted");
  });

  it.each([
    ["message", { message: "Pieshop: 50% off this week with code {{coupon}}" }],
    ["expression", { expression: "interest:tea" }],
    ["cap", { maxRecipientsPerBrand: 50_000 }],
    ["purpose", { purpose: "something else" }],
    ["channel", { channel: "EMAIL" as const, subject: "Hello" }],
    ["send window", { sendAfter: "2026-12-02T08:00:00.000Z" }],
    ["expiry", { expiresAt: "2026-12-10T09:00:00.000Z" }],
    ["targets", { targetBrandIds: ["teabar", "stylehub", "pieshop"] }],
  ])("refuses a delivery whose %s was changed after hashing", (_field, tampered) => {
    expect(reasonOf(() => verifyDelivery(deliveredRequest(tampered), "teabar"))).toEqual({ code: "BAD_INPUT", reason: "HASH_MISMATCH" });
  });

  it("refuses a delivery that does not name this node's brand among its targets", () => {
    expect(reasonOf(() => verifyDelivery(deliveredRequest(), "pieshop"))).toEqual({ code: "BAD_INPUT", reason: "NOT_A_TARGET" });
  });

  it("refuses a delivery of the wrong shape", () => {
    expect(reasonOf(() => verifyDelivery({ ...deliveredRequest(), version: 0 }, "teabar"))).toEqual({ code: "BAD_INPUT", reason: "BAD_SHAPE" });
  });
});
