import { describe, expect, it } from "vitest";
import { isForwardMove } from "./apply-target-status.js";

describe("isForwardMove", () => {
  it("accepts the lifecycle's moves as a node makes them", () => {
    for (const [from, to] of [
      ["PENDING", "APPROVED"],
      ["PENDING", "DECLINED"],
      ["PENDING", "EXPIRED"],
      ["PENDING", "CANCELLED"],
      ["APPROVED", "CANCELLED"],
      ["APPROVED", "SENDING"],
      ["SENDING", "SENT"],
      ["SENDING", "FAILED"],
    ] as const) {
      expect(isForwardMove(from, to), `${from} -> ${to}`).toBe(true);
    }
  });

  it("refuses moves backwards, out of a closed status, and standing still", () => {
    for (const [from, to] of [
      ["DECLINED", "APPROVED"],
      ["APPROVED", "PENDING"],
      ["APPROVED", "DECLINED"],
      ["SENT", "SENDING"],
      ["CANCELLED", "SENDING"],
      ["EXPIRED", "APPROVED"],
      ["PENDING", "PENDING"],
      ["PENDING", "SENDING"],
    ] as const) {
      expect(isForwardMove(from, to), `${from} -> ${to}`).toBe(false);
    }
  });
});
