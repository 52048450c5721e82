import { describe, expect, it } from "vitest";
import type { AuditEvent } from "./audit-chain.types.js";
import { buildChain } from "./build-chain.fixture.js";
import { verifyAuditExport } from "./verify-audit-export.js";

/** An event as exportAuditLog writes it (without the trailing newline). */
function exportLine(event: AuditEvent): string {
  return JSON.stringify({ ...event, occurredAt: event.occurredAt.toISOString() });
}

function lines(count: number): string[] {
  return buildChain(count).map(exportLine);
}

function idAt(all: string[], index: number): string {
  return (JSON.parse(all[index] ?? "{}") as { id: string }).id;
}

describe("verifyAuditExport", () => {
  it("accepts an intact export, skipping blank and CRLF-trimmed lines", async () => {
    const all = lines(4);
    expect(await verifyAuditExport(["\uFEFF" + all[0], "", ...all.slice(1), "   "])).toEqual({
      ok: true,
      checked: 4,
      firstBrokenEventId: null,
      brokenLine: null,
    });
  });

  it("reads from an async source", async () => {
    async function* source(): AsyncGenerator<string> {
      yield* lines(3);
    }
    expect((await verifyAuditExport(source())).ok).toBe(true);
  });

  it("names a tampered event and its line", async () => {
    const all = lines(4);
    all[2] = (all[2] ?? "").replace('"released":1233', '"released":1');
    expect(await verifyAuditExport(all)).toEqual({ ok: false, checked: 3, firstBrokenEventId: idAt(all, 2), brokenLine: 3 });
  });

  it("names the event after a removed line", async () => {
    const all = lines(4);
    all.splice(1, 1);
    expect(await verifyAuditExport(all)).toMatchObject({ ok: false, checked: 2, firstBrokenEventId: idAt(all, 1) });
  });

  it("names a duplicated line", async () => {
    const all = lines(4);
    all.splice(2, 0, all[1] ?? "");
    expect(await verifyAuditExport(all)).toMatchObject({ ok: false, checked: 3, firstBrokenEventId: idAt(all, 1), brokenLine: 3 });
  });

  it("breaks on a number that JSON.parse would round into a match", async () => {
    const all = lines(2);
    all[1] = (all[1] ?? "").replace('"margin95":30', '"margin95":30.000000000000000001');
    expect(JSON.parse(all[1]).payload.margin95).toBe(30);
    expect(await verifyAuditExport(all)).toMatchObject({ ok: false, checked: 2, firstBrokenEventId: idAt(all, 1) });
  });

  it("breaks on a timestamp with microseconds", async () => {
    const all = lines(2);
    all[0] = (all[0] ?? "").replace(/("occurredAt":"[^"]*\.\d{3})Z"/, '$1001Z"');
    expect(await verifyAuditExport(all)).toMatchObject({ ok: false, checked: 1, firstBrokenEventId: idAt(all, 0) });
  });

  it("breaks on a line that is not an event, by line number", async () => {
    const all = lines(3);
    all[1] = "not json";
    expect(await verifyAuditExport(all)).toEqual({ ok: false, checked: 2, firstBrokenEventId: null, brokenLine: 2 });
  });

  it("breaks on an event with a missing or extra field, by id", async () => {
    const missing = lines(2);
    const second = JSON.parse(missing[1] ?? "{}") as Record<string, unknown>;
    delete second.subject;
    missing[1] = JSON.stringify(second);
    expect(await verifyAuditExport(missing)).toMatchObject({ ok: false, firstBrokenEventId: second.id, brokenLine: 2 });

    const extra = lines(2);
    extra[1] = (extra[1] ?? "").replace(/}$/, ',"note":"added later"}');
    expect(await verifyAuditExport(extra)).toMatchObject({ ok: false, firstBrokenEventId: second.id, brokenLine: 2 });
  });
});
