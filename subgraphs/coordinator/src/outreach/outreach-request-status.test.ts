import { describe, expect, it } from "vitest";
import { OutreachRequestStatus, requestStatusOf } from "./outreach-request-status.js";

describe("requestStatusOf", () => {
  it("is OPEN while any target is undecided, whatever the others", () => {
    expect(requestStatusOf(["PENDING"])).toBe(OutreachRequestStatus.OPEN);
    expect(requestStatusOf(["SENT", "PENDING", "CANCELLED"])).toBe(OutreachRequestStatus.OPEN);
  });

  it("is IN_PROGRESS once decided with a target approved or sending", () => {
    expect(requestStatusOf(["APPROVED", "DECLINED"])).toBe(OutreachRequestStatus.IN_PROGRESS);
    expect(requestStatusOf(["SENDING", "SENT"])).toBe(OutreachRequestStatus.IN_PROGRESS);
  });

  it("is CANCELLED only when every target was cancelled, else CLOSED when all are done", () => {
    expect(requestStatusOf(["CANCELLED", "CANCELLED"])).toBe(OutreachRequestStatus.CANCELLED);
    expect(requestStatusOf(["CANCELLED", "DECLINED"])).toBe(OutreachRequestStatus.CLOSED);
    expect(requestStatusOf(["SENT", "FAILED", "EXPIRED"])).toBe(OutreachRequestStatus.CLOSED);
  });

  it("refuses a request without targets (there is none)", () => {
    expect(() => requestStatusOf([])).toThrow();
  });
});
