import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashAuditEvent } from "./audit-chain.hash.js";
import type { AuditEvent } from "./audit-chain.types.js";
import { buildChain } from "./build-chain.fixture.js";
import { verifyAuditEvents } from "./verify-audit-events.js";

function idOf(events: AuditEvent[], index: number): string {
  const event = events[index];
  if (!event) throw new Error(`no event at ${index}`);
  return event.id;
}

describe("verifyAuditEvents", () => {
  it("accepts an intact chain and counts every event", () => {
    expect(verifyAuditEvents(buildChain(5))).toEqual({ ok: true, checked: 5, firstBrokenEventId: null });
  });

  it("accepts an empty chain", () => {
    expect(verifyAuditEvents([])).toEqual({ ok: true, checked: 0, firstBrokenEventId: null });
  });

  it("accepts an event whose objects list their keys in another order", () => {
    const events = buildChain(3);
    const second = events[1] as AuditEvent;
    events[1] = { ...second, payload: Object.fromEntries(Object.entries(second.payload).reverse()) };
    expect(verifyAuditEvents(events).ok).toBe(true);
  });

  it.each<[string, (event: AuditEvent) => AuditEvent]>([
    ["seq", (e) => ({ ...e, seq: e.seq + 10 })],
    ["id", (e) => ({ ...e, id: "00000000-0000-4000-8000-999999999999" })],
    ["occurredAt", (e) => ({ ...e, occurredAt: new Date(e.occurredAt.getTime() + 1) })],
    ["occurredAt (invalid)", (e) => ({ ...e, occurredAt: new Date(Number.NaN) })],
    ["type", (e) => ({ ...e, type: "estimate.refused" })],
    ["actor", (e) => ({ ...e, actor: { ...e.actor, brandId: "stylehub" } })],
    ["subject", (e) => ({ ...e, subject: { ...e.subject, extra: true } })],
    ["payload", (e) => ({ ...e, payload: { ...e.payload, released: 1 } })],
    ["payload (removed key)", (e) => ({ ...e, payload: {} })],
    ["prevHash", (e) => ({ ...e, prevHash: "f".repeat(64) })],
    ["hash", (e) => ({ ...e, hash: "f".repeat(64) })],
  ])("names the event whose %s was changed", (_field, tamper) => {
    const events = buildChain(5);
    events[2] = tamper(events[2] as AuditEvent);
    expect(verifyAuditEvents(events)).toEqual({ ok: false, checked: 3, firstBrokenEventId: idOf(events, 2) });
  });

  it("names the event after a removed one", () => {
    const events = buildChain(5);
    const [removed] = events.splice(2, 1);
    expect(removed?.seq).toBe(3);
    expect(verifyAuditEvents(events)).toEqual({ ok: false, checked: 3, firstBrokenEventId: idOf(events, 2) });
    expect(idOf(events, 2)).toBe(buildChain(5)[3]?.id);
  });

  it("names a duplicated event", () => {
    const events = buildChain(5);
    events.splice(3, 0, events[2] as AuditEvent);
    expect(verifyAuditEvents(events)).toEqual({ ok: false, checked: 4, firstBrokenEventId: idOf(events, 2) });
  });

  it("names the first of two swapped events", () => {
    const events = buildChain(5);
    const [second, third] = [events[1] as AuditEvent, events[2] as AuditEvent];
    events[1] = third;
    events[2] = second;
    expect(verifyAuditEvents(events)).toEqual({ ok: false, checked: 2, firstBrokenEventId: third.id });
  });

  it("names a tampered event even when its own hash was recomputed", () => {
    const events = buildChain(5);
    const third = events[2] as AuditEvent;
    const payload = { ...third.payload, released: 1 };
    events[2] = { ...third, payload, hash: hashAuditEvent({ ...third, payload }, third.prevHash) };
    // The forged hash no longer matches the next event's prevHash.
    expect(verifyAuditEvents(events)).toEqual({ ok: false, checked: 4, firstBrokenEventId: idOf(events, 3) });
  });

  describe("genesis", () => {
    it("requires the first event to have seq 1", () => {
      const events = buildChain(3).slice(1);
      expect(verifyAuditEvents(events)).toEqual({ ok: false, checked: 1, firstBrokenEventId: idOf(events, 0) });
    });

    it("requires the first event to point at the genesis hash", () => {
      const [first] = buildChain(1) as [AuditEvent];
      const prevHash = "1".repeat(64);
      const forged = { ...first, prevHash, hash: hashAuditEvent(first, prevHash) };
      expect(verifyAuditEvents([forged])).toEqual({ ok: false, checked: 1, firstBrokenEventId: first.id });
    });

    it("refuses a second event that restarts from the genesis hash", () => {
      const events = buildChain(2);
      const second = events[1] as AuditEvent;
      events[1] = { ...second, prevHash: GENESIS_HASH, hash: hashAuditEvent(second, GENESIS_HASH) };
      expect(verifyAuditEvents(events)).toEqual({ ok: false, checked: 2, firstBrokenEventId: second.id });
    });
  });
});
