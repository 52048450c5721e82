import { isAppError } from "@brandpool/errors";
import { describe, expect, it } from "vitest";
import { contentHash, type OutreachRequestContent } from "./content-hash.js";

const content: OutreachRequestContent = {
  channel: "SMS",
  subject: null,
  message: "春季新品，凭券{{coupon}}立减20元",
  expression: "lifecycle:active AND NOT age:under_18",
  purpose: "SPRING_PROMOTION",
  cap: 5_000,
  sendWindow: { start: "2026-03-01T01:00:00.000Z", end: "2026-03-07T12:00:00.000Z" },
  expiresAt: "2026-02-28T00:00:00.000Z",
  targets: ["teabar", "stylehub"],
};

describe("contentHash", () => {
  it("is sha256:<64 hex> and stable", () => {
    expect(contentHash(content)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(contentHash(content)).toBe(contentHash({ ...content }));
  });

  it("does not depend on key order, target order, the time's zone or a Date against its ISO string", () => {
    const reordered: OutreachRequestContent = {
      targets: ["stylehub", "teabar"],
      expiresAt: "2026-02-28T08:00:00+08:00",
      sendWindow: { end: "2026-03-07T12:00:00Z", start: new Date("2026-03-01T01:00:00.000Z") },
      cap: 5_000,
      purpose: content.purpose,
      expression: content.expression,
      message: content.message,
      subject: undefined,
      channel: "SMS",
    };
    expect(contentHash(reordered)).toBe(contentHash(content));
    expect(contentHash({ ...content, subject: "" })).toBe(contentHash(content));
  });

  it("changes when any field changes", () => {
    const changes: Partial<OutreachRequestContent>[] = [
      { channel: "MAIL" },
      { subject: "Spring" },
      { message: `${content.message} ` },
      { expression: "lifecycle:active" },
      { purpose: "WINBACK" },
      { cap: 5_001 },
      { sendWindow: { start: "2026-03-01T01:00:00.001Z", end: "2026-03-07T12:00:00.000Z" } },
      { sendWindow: { start: "2026-03-01T01:00:00.000Z", end: "2026-03-07T13:00:00.000Z" } },
      { expiresAt: "2026-02-28T00:00:01.000Z" },
      { targets: ["teabar"] },
      { targets: ["teabar", "stylehub", "pieshop"] },
    ];
    const hashes = new Set([contentHash(content), ...changes.map((change) => contentHash({ ...content, ...change }))]);
    expect(hashes.size).toBe(changes.length + 1);
  });

  it("refuses a time that is not ISO 8601 with a zone, and a cap the canonical form cannot hold", () => {
    for (const bad of [
      { expiresAt: "next week" },
      { expiresAt: "03/01/2026" },
      { expiresAt: "2026-02-28T08:00:00" },
      { sendWindow: { start: "2026-13-01T00:00:00Z", end: "2026-03-07T12:00:00Z" } },
      { cap: Number.NaN },
      { cap: 2 ** 60 },
    ] as Partial<OutreachRequestContent>[]) {
      let code: string | undefined;
      try {
        contentHash({ ...content, ...bad });
      } catch (error) {
        code = isAppError(error) ? error.code : "not an AppError";
      }
      expect(code, JSON.stringify(bad)).toBe("BAD_INPUT");
    }
  });
});
