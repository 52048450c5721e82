import { AppError, isAppError } from "@brandpool/errors";
import type { GatewayClient } from "../pool/gateway-client.js";
import type { OutboxRepository, PendingEvent, Refusal } from "./outbox.repository.js";

const PUSH = /* GraphQL */ `
  mutation PushNodeEvents($events: [NodeEventInput!]!) {
    recordNodeEvents(events: $events) { outcomes { id status reason message } }
  }
`;

interface PushAnswer {
  recordNodeEvents: { outcomes: { id: string; status: string; reason: string | null; message: string | null }[] };
}

/** Events in one push (the coordinator takes at most 100). */
const BATCH = 100;
/**
 * Bytes of events in one push, well under the gateway's body limit (100,000 by default): a batch
 * the gateway refuses as too large would otherwise be refused again at every try. An event larger
 * than this on its own goes out alone.
 */
const BATCH_BYTES = 48 * 1024;
/** Pushes in one drain, so that one job run ends; the next run goes on. */
const MAX_ROUNDS = 50;

/**
 * Pushes queued events to the coordinator through the gateway. The coordinator answers for each
 * event: accepted ones are marked pushed, refused ones are set aside with the reason (never
 * pushed again on their own), so one bad event never holds back the rest. A push that fails as a
 * whole (the gateway or coordinator down, a lost answer) changes nothing and is simply repeated:
 * the coordinator records each id of a brand once, so a node that was down catches up.
 */
export class OutboxPusher {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly client: GatewayClient,
  ) {}

  /** Pushes until nothing is pending (or MAX_ROUNDS pushes). Throws when a push fails as a whole. */
  async drain(): Promise<void> {
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const pending = await this.outbox.pending(BATCH);
      if (pending.length === 0) return;
      const batch = withinBudget(pending);
      const settled = await this.push(batch);
      // Nothing settled (outcomes this node does not know): the next run tries again.
      if (settled === 0 || (batch.length === pending.length && pending.length < BATCH)) return;
    }
  }

  /**
   * On shutdown: one last drain, bounded in time. What does not make it stays queued and goes
   * out at the next start.
   */
  async flush(timeoutMs: number): Promise<void> {
    // A referenced timer: the process stays up until the push ends or the time is over. (A push
    // racing one already in flight is harmless: the coordinator records each event id once.)
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.drain().catch(() => undefined), timeout]);
    clearTimeout(timer);
  }

  /** Pushes one batch; returns how many of its events were settled (pushed or set aside). */
  private async push(batch: PendingEvent[]): Promise<number> {
    let answer: PushAnswer;
    try {
      answer = await this.client.request<PushAnswer>(PUSH, {
        events: batch.map((row) => ({ id: row.id, type: row.type, payload: row.payload })),
      });
    } catch (error) {
      const [only] = batch;
      if (only && batch.length === 1 && refusedAsTooLarge(error)) {
        await this.outbox.settle([], [{ id: only.id, reason: "PAYLOAD_TOO_LARGE", message: "The gateway refused the push of this event as too large." }]);
        return 1;
      }
      throw error;
    }
    const outcomes = answer.recordNodeEvents.outcomes;
    // An answer that is not about exactly these events is not trusted: nothing is marked.
    if (outcomes.length !== batch.length || outcomes.some((outcome, index) => outcome.id !== batch[index]?.id)) {
      throw new AppError("UNAVAILABLE", "The coordinator's answer does not match the events pushed.");
    }
    const accepted: string[] = [];
    const refused: Refusal[] = [];
    for (const outcome of outcomes) {
      if (outcome.status === "ACCEPTED") accepted.push(outcome.id);
      else if (outcome.status === "REFUSED") {
        refused.push({ id: outcome.id, reason: (outcome.reason ?? "REFUSED").slice(0, 64), message: (outcome.message ?? "Refused by the coordinator.").slice(0, 500) });
      }
      // An unknown status (a newer coordinator) leaves the event queued.
    }
    await this.outbox.settle(accepted, refused);
    return accepted.length + refused.length;
  }
}

function sizeOf(row: PendingEvent): number {
  return Buffer.byteLength(JSON.stringify({ id: row.id, type: row.type, payload: row.payload }));
}

/** The longest prefix within BATCH_BYTES, and at least the first event. */
function withinBudget(rows: PendingEvent[]): PendingEvent[] {
  let bytes = 0;
  let count = 0;
  for (const row of rows) {
    bytes += sizeOf(row);
    if (count > 0 && bytes > BATCH_BYTES) break;
    count += 1;
  }
  return rows.slice(0, count);
}

function refusedAsTooLarge(error: unknown): boolean {
  return isAppError(error) && (error.details?.status === 413 || error.details?.gatewayCode === "PAYLOAD_TOO_LARGE");
}
