import type pg from "pg";
import type { NodeAudit } from "../audit/node-audit.service.js";
import { decideRetry } from "../delivery/index.js";
import type { ChannelAdapter, DeliveryOutcome, OutboundMessage } from "../delivery/index.js";
import type { Channel } from "../members/expression.sql.js";
import { finishSending } from "./finish-sending.js";
import { outboundMessage } from "./outbound-message.js";
import type { RecipientRow, RequestTemplate } from "./outbound-message.js";
import { batchKey, quietEnd } from "./send-settings.js";
import type { SendBatchJob, SendSettings } from "./send-settings.js";
import type { EnqueueBatches } from "./start-sending.js";
import type { UnsubscribeTokens } from "./unsubscribe-token.js";

export type ChannelAdapters = Partial<Record<Channel, ChannelAdapter>>;

/** Messages marked in flight together, per channel (one group at a time per send job). */
export interface SendPacing {
  /** SMTP: the job's share of the pool's connections, since every message of a group is in flight (and AMBIGUOUS after a crash). */
  chunk: Record<Channel, number>;
}

interface Attempted {
  seq: number;
  attempt: number;
  outcome: string;
  detail: string | null;
  /** The recipient's status after it: QUEUED (a retry waits), SENT, FAILED or AMBIGUOUS. */
  status: "QUEUED" | "SENT" | "FAILED" | "AMBIGUOUS";
  nextAttemptAt: Date | null;
}

// One advisory-lock class for send batches (the key's first half); the second is the batch's hash.
const BATCH_LOCK_CLASS = 0x0bac4;

/**
 * One send job: delivers one batch of one request through the owner's channel adapter and
 * records every attempt. Safe to repeat and to run twice at once:
 * - an advisory lock per batch, held on one connection for the run, lets one run at a time work
 *   on it (a process killed mid-run loses its connection and so the lock);
 * - before the adapter is called, each message's attempt is counted and marked in flight in the
 *   database, so a crash leaves evidence: the next run marks such an SMTP send AMBIGUOUS (it may
 *   have gone out; never re-sent) and re-sends a webhook or export one with the same key;
 * - a RETRY waits its backoff (retry-policy.ts) in `next_attempt_at`, and the batch is queued
 *   again (pg-boss `startAfter`) for the earliest; during quiet hours it is queued for their end.
 * When the batch has nothing left queued, the request may be finished (finish-sending.ts).
 */
export class BatchSender {
  constructor(
    private readonly settings: SendSettings,
    private readonly pool: pg.Pool,
    private readonly audit: Pick<NodeAudit, "record" | "pushSoon">,
    private readonly adapters: ChannelAdapters,
    private readonly tokens: UnsubscribeTokens,
    private readonly enqueue: EnqueueBatches,
    private readonly pacing: SendPacing,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async run(job: SendBatchJob): Promise<void> {
    const lockClient = await this.pool.connect();
    let locked = false;
    try {
      const lock = await lockClient.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok", [BATCH_LOCK_CLASS, batchKey(job)]);
      locked = lock.rows[0]?.ok === true;
      // Another run has the batch: it finishes it and queues what follows.
      if (!locked) return;
      await this.runLocked(job);
    } finally {
      if (locked) await lockClient.query("SELECT pg_advisory_unlock($1, hashtext($2))", [BATCH_LOCK_CLASS, batchKey(job)]).catch(() => undefined);
      lockClient.release();
    }
  }

  private async runLocked(job: SendBatchJob): Promise<void> {
    const request = await this.template(job.requestId);
    if (!request) return;
    const adapter = this.adapters[request.channel];
    if (!adapter) throw new Error("no adapter for the request's channel");
    await this.recoverInFlight(job, request.channel);
    for (;;) {
      const quietUntilEnd = await quietEnd(this.settings, subjectOf(request), this.now());
      if (quietUntilEnd) {
        await this.enqueue([{ data: job, startAfter: quietUntilEnd, singletonKey: batchKey(job) }]);
        return;
      }
      const rows = await this.dueRecipients(job, request.channel);
      if (rows.length === 0) break;
      await this.deliver(request, job.batch, adapter, rows);
    }
    const waiting = await this.pool.query<{ next: Date | null; queued: number }>(
      `SELECT min(next_attempt_at) AS next, count(*)::int AS queued FROM outreach_recipients
       WHERE request_id = $1 AND batch = $2 AND status = 'QUEUED'`,
      [job.requestId, job.batch],
    );
    const left = waiting.rows[0];
    if (left && left.queued > 0) {
      await this.enqueue([{ data: job, startAfter: left.next ?? this.now(), singletonKey: batchKey(job) }]);
      return;
    }
    await finishSending(this.pool, this.audit, this.settings.brandId, job.requestId);
  }

  private async template(requestId: string): Promise<RequestTemplate | null> {
    const result = await this.pool.query<{ requester_brand: string; channel: Channel; subject: string | null; message: string; status: string }>(
      "SELECT requester_brand, channel, subject, message, status FROM incoming_requests WHERE request_id = $1",
      [requestId],
    );
    const row = result.rows[0];
    return row && row.status === "SENDING" ? { requestId, requester: row.requester_brand, channel: row.channel, subject: row.subject, message: row.message } : null;
  }

  /** Attempts a crash left without an outcome (this run holds the batch's lock, so they are orphans). */
  private async recoverInFlight(job: SendBatchJob, channel: Channel): Promise<void> {
    // SMTP has no way to ask whether the message went out: AMBIGUOUS, never re-sent. A webhook
    // honours the key and an export adds a key once, so those are simply sent again.
    const ambiguous = channel === "EMAIL";
    await this.pool.query(
      `WITH orphans AS (
         UPDATE outreach_recipients SET in_flight = false,
                status = CASE WHEN $3 THEN 'AMBIGUOUS' ELSE status END,
                finished_at = CASE WHEN $3 THEN now() ELSE finished_at END
         WHERE request_id = $1 AND batch = $2 AND status = 'QUEUED' AND in_flight
         RETURNING member_seq, attempts)
       UPDATE delivery_attempts a SET outcome = CASE WHEN $3 THEN 'AMBIGUOUS' ELSE 'UNKNOWN' END, detail = 'INTERRUPTED'
       FROM orphans WHERE a.request_id = $1 AND a.member_seq = orphans.member_seq AND a.attempt = orphans.attempts AND a.outcome = 'STARTED'`,
      [job.requestId, job.batch, ambiguous],
    );
  }

  private async dueRecipients(job: SendBatchJob, channel: Channel): Promise<RecipientRow[]> {
    const consent = channel === "SMS" ? "m.consent_sms" : channel === "EMAIL" ? "m.consent_email" : "m.consent_mail";
    const result = await this.pool.query<RecipientRow>(
      `SELECT r.member_seq, r.coupon_code, r.message_key::text AS message_key, r.attempts, m.name, m.phone, m.email, m.address, ${consent} AS consented
       FROM outreach_recipients r JOIN members m ON m.seq = r.member_seq
       WHERE r.request_id = $1 AND r.batch = $2 AND r.status = 'QUEUED' AND NOT r.in_flight
         AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= now())
       ORDER BY r.member_seq`,
      [job.requestId, job.batch],
    );
    return result.rows;
  }

  private async deliver(request: RequestTemplate, batch: number, adapter: ChannelAdapter, rows: readonly RecipientRow[]): Promise<void> {
    const sendable: { row: RecipientRow; message: OutboundMessage }[] = [];
    const refused: Attempted[] = [];
    for (const row of rows) {
      const message = outboundMessage(request, row, this.tokens, this.settings.mailCountry);
      if (typeof message === "string") {
        refused.push({ seq: row.member_seq, attempt: row.attempts + 1, outcome: "FAILED", detail: message, status: "FAILED", nextAttemptAt: null });
      } else {
        sendable.push({ row, message });
      }
    }
    // Not sent at all, but recorded as an attempt like any other.
    if (refused.length > 0) {
      await this.step(request.requestId, batch, [], refused.map((entry) => entry.seq));
      await this.step(request.requestId, batch, refused, []);
    }
    const size = this.pacing.chunk[request.channel];
    // One round trip per group: the previous group's outcomes are recorded by the statement that
    // marks this group in flight, so nothing is in flight in the database that is not on the wire
    // (or just back from it), and a group costs one statement, not two.
    let pending: Attempted[] = [];
    // Quiet time (the node's hours and the rules') is looked at again at most once a second
    // within a batch: it ends or starts on a minute, and a look reads the rules in force.
    let quietCheckedAt = 0;
    for (let i = 0; i < sendable.length; i += size) {
      if (this.now().getTime() - quietCheckedAt >= 1_000) {
        if (await quietEnd(this.settings, subjectOf(request), this.now())) break;
        quietCheckedAt = this.now().getTime();
      }
      const chunk = sendable.slice(i, i + size);
      const attempts = await this.step(request.requestId, batch, pending, chunk.map((entry) => entry.row.member_seq));
      pending = [];
      const attemptOf = (entry: (typeof chunk)[number]) => attempts.get(entry.row.member_seq) ?? entry.row.attempts + 1;
      let outcomes: DeliveryOutcome[];
      try {
        outcomes = await adapter.sendBatch(chunk.map((entry) => entry.message));
      } catch (error) {
        // The adapter refused the whole group before sending (closed at shutdown): nothing went
        // out, so it is not left in flight to be taken for AMBIGUOUS.
        const notSent = chunk.map((entry): Attempted => ({ seq: entry.row.member_seq, attempt: attemptOf(entry), outcome: "NOT_SENT", detail: null, status: "QUEUED", nextAttemptAt: null }));
        await this.step(request.requestId, batch, notSent, []);
        throw error;
      }
      pending = chunk.map((entry, index) => this.decide(entry.row.member_seq, attemptOf(entry), outcomes[index] as DeliveryOutcome));
    }
    await this.step(request.requestId, batch, pending, []);
  }

  /**
   * One statement: records `done` (each attempt's outcome, each recipient's status) and starts
   * the attempts of `start` (counted, marked in flight, recorded as STARTED) before anything of
   * them is sent. Returns the attempt number of each started recipient. Every row it touches is
   * found through an index by its batch or its member (the QUEUED rows of the batch, the member's
   * attempts), never by the request alone: a million-recipient request has a million rows.
   */
  private async step(requestId: string, batch: number, done: readonly Attempted[], start: readonly number[]): Promise<Map<number, number>> {
    if (done.length === 0 && start.length === 0) return new Map();
    const result = await this.pool.query<{ member_seq: number; attempts: number }>(
      `WITH v AS (
         SELECT * FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::timestamptz[]) AS v(seq, attempt, outcome, detail, status, next_at)
       ), done_attempts AS (
         UPDATE delivery_attempts a SET outcome = v.outcome, detail = v.detail
         FROM v WHERE a.request_id = $1 AND a.member_seq = ANY($2::int[]) AND a.member_seq = v.seq AND a.attempt = v.attempt
       ), done AS (
         UPDATE outreach_recipients r SET in_flight = false, status = v.status, next_attempt_at = v.next_at,
                finished_at = CASE WHEN v.status = 'QUEUED' THEN NULL ELSE now() END
         FROM v WHERE r.request_id = $1 AND r.batch = $9 AND r.status = 'QUEUED' AND r.member_seq = v.seq
       ), started AS (
         UPDATE outreach_recipients SET attempts = attempts + 1, in_flight = true
         WHERE request_id = $1 AND batch = $9 AND status = 'QUEUED' AND member_seq = ANY($8::int[])
         RETURNING member_seq, attempts
       )
       INSERT INTO delivery_attempts (request_id, member_seq, attempt, outcome)
       SELECT $1, member_seq, attempts, 'STARTED' FROM started
       RETURNING member_seq, attempt AS attempts`,
      [
        requestId,
        done.map((entry) => entry.seq),
        done.map((entry) => entry.attempt),
        done.map((entry) => entry.outcome),
        done.map((entry) => entry.detail),
        done.map((entry) => entry.status),
        done.map((entry) => entry.nextAttemptAt),
        start,
        batch,
      ],
    );
    return new Map(result.rows.map((row) => [row.member_seq, row.attempts]));
  }

  private decide(seq: number, attempt: number, outcome: DeliveryOutcome): Attempted {
    const detail = outcomeDetail(outcome);
    const decision = decideRetry(outcome, attempt, Math.random(), this.settings.retry);
    if (decision.action === "RETRY") {
      return { seq, attempt, outcome: "RETRY", detail, status: "QUEUED", nextAttemptAt: new Date(this.now().getTime() + decision.delayMs) };
    }
    const status = decision.final === "DELIVERED" ? "SENT" : decision.final === "AMBIGUOUS" ? "AMBIGUOUS" : "FAILED";
    const recorded = outcome.status === "DELIVERED" ? "SENT" : outcome.status;
    return { seq, attempt, outcome: recorded, detail: decision.final === "GAVE_UP" ? `${detail ?? ""} GAVE_UP`.trim() : detail, status, nextAttemptAt: null };
  }
}

/** The channel's reason code and reply number: never its text, which may quote the address. */
function outcomeDetail(outcome: DeliveryOutcome): string | null {
  switch (outcome.status) {
    case "DELIVERED":
      return null;
    case "FAILED":
    case "RETRY":
      return outcome.code === undefined ? outcome.reason : `${outcome.reason} ${outcome.code}`;
    case "AMBIGUOUS":
      return outcome.reason;
  }
}

function subjectOf(request: RequestTemplate) {
  return { requestId: request.requestId, requester: request.requester ?? "", channel: request.channel };
}
