import type pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { generateSigningKeyPair, verifyAuditHead } from "@brandpool/tokens";
import type { GatewayClient } from "../pool/gateway-client.js";
import { AuditHeadPusher } from "./audit-head-pusher.service.js";

const EVENT = "0b7e2f0a-9c1d-4e5f-8a6b-1c2d3e4f5a6b";

/** A pool whose chain head is whatever `tail` holds (the one query the pusher makes). */
function fakePool(tail: { seq: string; id: string; hash: string }[]): pg.Pool {
  return { query: async () => ({ rows: tail }) } as unknown as pg.Pool;
}

describe("AuditHeadPusher", () => {
  it("pushes the chain head signed with the node key, once per head, at most once a second", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-01T10:00:00.000Z") });
    try {
      const keys = await generateSigningKeyPair();
      const pushed: string[] = [];
      const gateway = { request: async (_query: string, variables: { head: string }) => pushed.push(variables.head) } as unknown as GatewayClient;
      const tail = [{ seq: "7", id: EVENT, hash: "a".repeat(64) }];
      const pusher = new AuditHeadPusher("teabar", fakePool(tail), gateway, keys.privateJwk);

      await pusher.push();
      expect(pushed).toHaveLength(1);
      expect(await verifyAuditHead(pushed[0] ?? "", keys.publicJwk)).toEqual({
        brand: "teabar",
        seq: 7,
        hash: "a".repeat(64),
        eventId: EVENT,
        signedAt: "2026-12-01T10:00:00.000Z",
      });
      // The chain moved, but within the second: the periodic run pushes it.
      tail[0] = { seq: "8", id: EVENT, hash: "b".repeat(64) };
      await pusher.push();
      expect(pushed).toHaveLength(1);
      vi.advanceTimersByTime(1_000);
      await pusher.push();
      expect(pushed).toHaveLength(2);
      // Unchanged: not pushed again.
      vi.advanceTimersByTime(5_000);
      await pusher.push();
      expect(pushed).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("pushes nothing for an empty chain, and fails the run when the push is refused (the next run tries again)", async () => {
    const keys = await generateSigningKeyPair();
    let calls = 0;
    const refusing = { request: async () => { calls += 1; throw new Error("refused"); } } as unknown as GatewayClient;
    await new AuditHeadPusher("teabar", fakePool([]), refusing, keys.privateJwk).push();
    expect(calls).toBe(0);
    const pusher = new AuditHeadPusher("teabar", fakePool([{ seq: "1", id: EVENT, hash: "c".repeat(64) }]), refusing, keys.privateJwk);
    await expect(pusher.push()).rejects.toThrow("refused");
    expect(calls).toBe(1);
  });
});
