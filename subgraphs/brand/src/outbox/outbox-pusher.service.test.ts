import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@brandpool/errors";
import type { GatewayClient } from "../pool/gateway-client.js";
import { OutboxPusher } from "./outbox-pusher.service.js";
import type { OutboxRepository, PendingEvent, Refusal } from "./outbox.repository.js";

interface PushedEvent {
  id: string;
  type: string;
  payload: unknown;
}
type Answer = (events: PushedEvent[]) => { id: string; status: string; reason: string | null; message: string | null }[];

/** An outbox in memory and a coordinator behind a fake gateway client. */
function harness(rows: PendingEvent[], answer: Answer | Error) {
  const pending = [...rows];
  const pushed: string[] = [];
  const refused: Refusal[] = [];
  const pushes: string[][] = [];
  const outbox = {
    pending: async (limit: number) => pending.slice(0, limit),
    settle: async (accepted: readonly string[], refusals: readonly Refusal[]) => {
      for (const id of accepted) pushed.push(id);
      refused.push(...refusals);
      const done = new Set([...accepted, ...refusals.map((refusal) => refusal.id)]);
      for (let index = pending.length - 1; index >= 0; index -= 1) if (done.has(pending[index]?.id ?? "")) pending.splice(index, 1);
    },
  } as unknown as OutboxRepository;
  const client = {
    request: async (_query: string, variables: { events: PushedEvent[] }) => {
      pushes.push(variables.events.map((event) => event.id));
      if (answer instanceof Error) throw answer;
      return { recordNodeEvents: { outcomes: answer(variables.events) } };
    },
  } as unknown as GatewayClient;
  return { pusher: new OutboxPusher(outbox, client), pending, pushed, refused, pushes };
}

const event = (bytes = 10): PendingEvent => ({ id: randomUUID(), type: "estimate.answered", payload: { note: "x".repeat(bytes) } });
const acceptAll: Answer = (events) => events.map((pushedEvent) => ({ id: pushedEvent.id, status: "ACCEPTED", reason: null, message: null }));

describe("OutboxPusher", () => {
  it("marks accepted events pushed and sets refused ones aside with the coordinator's reason, in one drain", async () => {
    const rows = [event(), event(), event()];
    const badId = rows[1]?.id;
    const { pusher, pending, pushed, refused } = harness(rows, (events) =>
      events.map((pushedEvent) =>
        pushedEvent.id === badId
          ? { id: pushedEvent.id, status: "REFUSED", reason: "PAYLOAD_TOO_LARGE", message: "The event payload is over 8192 bytes." }
          : { id: pushedEvent.id, status: "ACCEPTED", reason: null, message: null },
      ),
    );
    await pusher.drain();
    expect(pushed).toEqual([rows[0]?.id, rows[2]?.id]);
    expect(refused).toEqual([{ id: badId, reason: "PAYLOAD_TOO_LARGE", message: "The event payload is over 8192 bytes." }]);
    expect(pending).toEqual([]);
  });

  it("changes nothing when the push fails as a whole, or when the answer is not about the events pushed", async () => {
    const down = harness([event(), event()], new AppError("UNAVAILABLE", "down", { gatewayCode: "UNAVAILABLE", status: 503 }));
    await expect(down.pusher.drain()).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect({ pushed: down.pushed, refused: down.refused, pending: down.pending.length }).toEqual({ pushed: [], refused: [], pending: 2 });

    const shuffled = harness([event(), event()], (events) => acceptAll([...events].reverse()));
    await expect(shuffled.pusher.drain()).rejects.toMatchObject({ code: "UNAVAILABLE" });
    const short = harness([event(), event()], (events) => acceptAll(events.slice(1)));
    await expect(short.pusher.drain()).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect([...shuffled.pushed, ...short.pushed, ...shuffled.refused, ...short.refused]).toEqual([]);
  });

  it("keeps each push within 48 KiB, sending an event larger than that alone", async () => {
    const rows = [event(20_000), event(20_000), event(20_000), event(60_000), event(10)];
    const { pusher, pushes, pushed } = harness(rows, acceptAll);
    await pusher.drain();
    expect(pushes).toEqual([[rows[0]?.id, rows[1]?.id], [rows[2]?.id], [rows[3]?.id], [rows[4]?.id]]);
    expect(pushed).toHaveLength(5);
  });

  it("sets aside an event the gateway refuses as too large when pushed alone, but never a batch so refused", async () => {
    const tooLarge = new AppError("UNAVAILABLE", "The gateway refused a node request (PAYLOAD_TOO_LARGE).", { gatewayCode: "PAYLOAD_TOO_LARGE", status: 413 });
    const alone = harness([event(60_000)], tooLarge);
    await alone.pusher.drain();
    expect(alone.refused.map((refusal) => refusal.reason)).toEqual(["PAYLOAD_TOO_LARGE"]);

    const batch = harness([event(), event()], tooLarge);
    await expect(batch.pusher.drain()).rejects.toBe(tooLarge);
    expect({ refused: batch.refused, pending: batch.pending.length }).toEqual({ refused: [], pending: 2 });
  });

  it("leaves events with an outcome it does not know queued, and ends the drain rather than pushing them again", async () => {
    const rows = [event(30_000), event(30_000)];
    const { pusher, pending, pushed, refused, pushes } = harness(rows, (events) =>
      events.map((pushedEvent) => ({ id: pushedEvent.id, status: "DEFERRED", reason: null, message: null })),
    );
    await pusher.drain();
    expect({ pushed, refused, pending: pending.map((row) => row.id) }).toEqual({ pushed: [], refused: [], pending: rows.map((row) => row.id) });
    expect(pushes).toHaveLength(1);
  });
});
