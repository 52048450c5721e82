import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashAuditEvent } from "./audit-chain.hash.js";
import type { AuditEvent } from "./audit-chain.types.js";
import { compareWithHeads } from "./audit-heads.js";
import { buildChain } from "./build-chain.fixture.js";
import { headsFromExport } from "./recorded-heads.js";
import { verifyAuditExport } from "./verify-audit-export.js";

const line = (event: AuditEvent) => JSON.stringify({ ...event, occurredAt: event.occurredAt.toISOString() });
const headOf = (event: AuditEvent) => ({ seq: event.seq, hash: event.hash, eventId: event.id });

/** What a superuser can do unnoticed by the chain alone: change event `from` and rehash everything after it. */
function rehashedFrom(chain: AuditEvent[], from: number): AuditEvent[] {
  const out: AuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (const event of chain) {
    const content = { ...event, payload: event.seq === from ? { ...event.payload, released: 0 } : event.payload };
    const hash = event.seq < from ? event.hash : hashAuditEvent(content, prevHash);
    out.push({ ...content, prevHash, hash });
    prevHash = hash;
  }
  return out;
}

describe("checking a chain against recorded heads", () => {
  const chain = buildChain(6);
  const heads = [headOf(chain[1] as AuditEvent), headOf(chain[4] as AuditEvent)];

  it("accepts a chain holding every recorded head, and a chain that grew since", () => {
    const bySeq = new Map(chain.map((event) => [event.seq, event]));
    expect(compareWithHeads(heads, (seq) => bySeq.get(seq))).toEqual({ headsChecked: 2, firstBrokenEventId: null, contradictedHeadSeq: null });
  });

  it("names the event at the first contradicted head of a rehashed tail, which the chain alone accepts", async () => {
    const rewritten = rehashedFrom(chain, 4);
    expect((await verifyAuditExport(rewritten.map(line))).ok).toBe(true);
    const result = await verifyAuditExport(rewritten.map(line), { heads });
    expect(result).toMatchObject({ ok: false, firstBrokenEventId: chain[4]?.id, headsChecked: 2, contradictedHeadSeq: 5 });
  });

  it("names the head's own event when the tail was cut before it", async () => {
    const result = await verifyAuditExport(chain.slice(0, 3).map(line), { heads });
    expect(result).toMatchObject({ ok: false, checked: 3, firstBrokenEventId: chain[4]?.id, contradictedHeadSeq: 5 });
  });

  it("reads a brand's heads from a coordinator export, ignoring other brands' heads and other events", async () => {
    const recorded = (brand: string, seq: number) =>
      JSON.stringify({ seq, type: "audit.head_recorded", subject: { kind: "brand", brand }, payload: { seq, hash: "a".repeat(64), eventId: "e" } });
    const lines = [recorded("teabar", 3), recorded("pieshop", 9), JSON.stringify({ type: "estimate.answered" }), "not json audit.head_recorded"];
    expect(await headsFromExport(lines, "teabar")).toEqual([{ seq: 3, hash: "a".repeat(64), eventId: "e" }]);
  });
});
