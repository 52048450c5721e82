import { asc, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { coordinatorOutbox } from "../db/outbox.table.js";
import type { GatewayClient } from "../pool/gateway-client.js";

const PUSH = /* GraphQL */ `
  mutation PushNodeEvents($events: [NodeEventInput!]!) {
    recordNodeEvents(events: $events) { accepted }
  }
`;

const BATCH = 100;

/**
 * Pushes queued events to the coordinator through the gateway. The coordinator is idempotent by
 * event id, so a push that fails half-way is simply repeated; a node that was down catches up.
 */
export class OutboxPusher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: Database,
    private readonly client: GatewayClient,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => this.nudge(), intervalMs);
    this.timer.unref();
    this.nudge();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * On shutdown: one last push of what is queued, bounded in time. What does not make it stays
   * queued and goes out at the next start.
   */
  async flush(timeoutMs: number): Promise<void> {
    this.stop();
    // A referenced timer: the process stays up until the push ends or the time is over. (A push
    // racing one already in flight is harmless: the coordinator records each event id once.)
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.drain().catch(() => undefined), timeout]);
    clearTimeout(timer);
  }

  /** Pushes soon; concurrent nudges coalesce into one more round. */
  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  async drain(): Promise<void> {
    for (;;) {
      const pending = await this.db
        .select()
        .from(coordinatorOutbox)
        .where(isNull(coordinatorOutbox.pushedAt))
        .orderBy(asc(coordinatorOutbox.createdAt))
        .limit(BATCH);
      if (pending.length === 0) return;
      await this.client.request(PUSH, {
        events: pending.map((row) => ({ id: row.id, type: row.type, payload: row.payload })),
      });
      await this.db
        .update(coordinatorOutbox)
        .set({ pushedAt: sql`now()` })
        .where(inArray(coordinatorOutbox.id, pending.map((row) => row.id)));
      if (pending.length < BATCH) return;
    }
  }
}
