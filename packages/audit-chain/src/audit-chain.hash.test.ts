import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalAuditEventJson, hashAuditEvent } from "./audit-chain.hash.js";
import type { AuditEventContent, JsonObject } from "./audit-chain.types.js";

const event: AuditEventContent = {
  seq: 1,
  id: "0f8fad5b-d9cb-469f-a165-70867728950e",
  occurredAt: new Date("2025-03-01T09:30:00.123Z"),
  type: "request.decided",
  actor: { kind: "approver", brandId: "teabar" },
  subject: { requestId: "r-1", brandId: "pieshop" },
  payload: { decision: "APPROVED", cap: 5000, ratio: 0.25, tags: ["vip", "新客"], note: null, auto: false },
};

describe("hashAuditEvent", () => {
  it("starts the chain from 64 zeros", () => {
    expect(GENESIS_HASH).toBe("0".repeat(64));
  });

  it("hashes the RFC 8785 canonical JSON of the event and its prevHash", () => {
    const canonical = canonicalAuditEventJson(event, GENESIS_HASH);
    expect(canonical).toBe(
      '{"actor":{"brandId":"teabar","kind":"approver"},"id":"0f8fad5b-d9cb-469f-a165-70867728950e",' +
        '"occurredAt":"2025-03-01T09:30:00.123Z","payload":{"auto":false,"cap":5000,"decision":"APPROVED",' +
        '"note":null,"ratio":0.25,"tags":["vip","新客"]},"prevHash":"' + GENESIS_HASH + '","seq":1,' +
        '"subject":{"brandId":"pieshop","requestId":"r-1"},"type":"request.decided"}',
    );
    expect(hashAuditEvent(event, GENESIS_HASH)).toBe(createHash("sha256").update(canonical, "utf8").digest("hex"));
    expect(hashAuditEvent(event, GENESIS_HASH)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("does not depend on the order of keys", () => {
    const reordered: AuditEventContent = {
      payload: { tags: ["vip", "新客"], ratio: 0.25, note: null, decision: "APPROVED", cap: 5000, auto: false },
      subject: { brandId: "pieshop", requestId: "r-1" },
      actor: { brandId: "teabar", kind: "approver" },
      type: event.type,
      occurredAt: new Date(event.occurredAt.getTime()),
      id: event.id,
      seq: 1,
    };
    expect(hashAuditEvent(reordered, GENESIS_HASH)).toBe(hashAuditEvent(event, GENESIS_HASH));
  });

  it("changes with the previous hash and with every field", () => {
    const base = hashAuditEvent(event, GENESIS_HASH);
    expect(hashAuditEvent(event, "1".repeat(64))).not.toBe(base);
    const variants: AuditEventContent[] = [
      { ...event, seq: 2 },
      { ...event, id: "0f8fad5b-d9cb-469f-a165-70867728950f" },
      { ...event, occurredAt: new Date(event.occurredAt.getTime() + 1) },
      { ...event, type: "request.declined" },
      { ...event, actor: { ...event.actor, brandId: "stylehub" } },
      { ...event, subject: { ...event.subject, requestId: "r-2" } },
      { ...event, payload: { ...event.payload, cap: 5001 } },
    ];
    for (const variant of variants) expect(hashAuditEvent(variant, GENESIS_HASH)).not.toBe(base);
  });

  it("accepts numbers that survive jsonb", () => {
    const payload = { max: Number.MAX_SAFE_INTEGER, min: -Number.MAX_SAFE_INTEGER, small: 1e-7, big: 1.5e300 / 1e300, zero: -0 };
    expect(() => hashAuditEvent({ ...event, payload }, GENESIS_HASH)).not.toThrow();
  });

  it.each<[string, unknown]>([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["an unsafe integer", 2 ** 53],
    ["a negative unsafe integer", -(2 ** 60)],
    ["undefined", undefined],
    ["a bigint", 10n],
    ["a Date", new Date(0)],
    ["a Map", new Map()],
    ["a function", () => 1],
    ["a NUL character", "a\u0000b"],
    ["a lone surrogate", "\uD800x"],
  ])("rejects a payload holding %s", (_label, value) => {
    const payload = { nested: [{ value }] } as unknown as JsonObject;
    expect(() => hashAuditEvent({ ...event, payload }, GENESIS_HASH)).toThrow(Error);
  });

  it("rejects a cyclic payload with an Error, not a stack overflow", () => {
    const payload: Record<string, unknown> = {};
    payload.self = payload;
    expect(() => hashAuditEvent({ ...event, payload: payload as JsonObject }, GENESIS_HASH)).toThrow(/nested more than/);
  });

  it("rejects actor, subject or payload that are not objects", () => {
    expect(() => hashAuditEvent({ ...event, actor: [] as unknown as JsonObject }, GENESIS_HASH)).toThrow(/actor/);
    expect(() => hashAuditEvent({ ...event, subject: null as unknown as JsonObject }, GENESIS_HASH)).toThrow(/subject/);
    expect(() => hashAuditEvent({ ...event, payload: "x" as unknown as JsonObject }, GENESIS_HASH)).toThrow(/payload/);
  });

  it("rejects an invalid date, a bad seq and a malformed prevHash", () => {
    expect(() => hashAuditEvent({ ...event, occurredAt: new Date(Number.NaN) }, GENESIS_HASH)).toThrow(/occurredAt/);
    expect(() => hashAuditEvent({ ...event, occurredAt: new Date("+010000-01-01T00:00:00Z") }, GENESIS_HASH)).toThrow(/occurredAt/);
    expect(() => hashAuditEvent({ ...event, seq: 0 }, GENESIS_HASH)).toThrow(/seq/);
    expect(() => hashAuditEvent({ ...event, seq: 1.5 }, GENESIS_HASH)).toThrow(/seq/);
    expect(() => hashAuditEvent(event, "0".repeat(63))).toThrow(/prevHash/);
    expect(() => hashAuditEvent(event, "A".repeat(64))).toThrow(/prevHash/);
  });
});
