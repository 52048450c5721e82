import type pg from "pg";
import { isAppError } from "@brandpool/errors";
import { parseTagExpression, tagKeysOf } from "@brandpool/tag-expression";
import type { NodeAudit } from "../audit/node-audit.service.js";
import type { TargetStatus } from "../db/incoming-request.table.js";
import { withTransaction } from "../db/transaction.js";
import type { Transaction } from "../db/transaction.js";
import type { QueuedJob, SqlExecutor } from "../jobs/index.js";
import { expressionCondition } from "../members/expression.sql.js";
import type { Channel } from "../members/expression.sql.js";
import { setTargetStatus } from "../outreach/target-status.js";
import type { TagDictionary } from "../pool/tag-dictionary.service.js";
import { quietUntil } from "./quiet-hours.js";
import { selectRecipients } from "./select-recipients.js";
import { batchKey, quietEnd, sendActor } from "./send-settings.js";
import type { SendBatchJob, SendSettings } from "./send-settings.js";

export type EnqueueBatches = (jobs: readonly QueuedJob<SendBatchJob>[], db?: SqlExecutor) => Promise<void>;

export type StartOutcome = "STARTED" | "NOT_DUE" | "QUIET" | "FAILED";

interface HeldRequest {
  status: TargetStatus;
  requester_brand: string;
  channel: Channel;
  expression: string;
  approved_cap: number | null;
  max_recipients: number;
  due: boolean;
  expired: boolean;
}

/**
 * Starts sending approved requests whose send time has come: in ONE transaction per request it
 * locks the node's copy and re-checks it (a cancellation since the approval, or an expiry, stops
 * it here), selects the recipients and issues their coupons in one statement, moves the target
 * APPROVED -> SENDING with the exact count and a hash of the recipient list in the owner's log,
 * and queues one pg-boss job per batch in the same transaction. Nothing starts during quiet hours.
 */
export class SendStarter {
  constructor(
    private readonly settings: SendSettings,
    private readonly pool: pg.Pool,
    private readonly audit: Pick<NodeAudit, "record" | "pushSoon">,
    private readonly dictionary: TagDictionary,
    private readonly enqueue: EnqueueBatches,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Starts every due request (the periodic `start-sends` job). */
  async startDue(): Promise<void> {
    if (quietUntil(this.settings.quiet, this.now())) return;
    // A request on a channel this node has no adapter for waits, APPROVED, until the owner
    // configures one (or it expires): it is not failed for the node's own configuration.
    const due = await this.pool.query<{ request_id: string }>(
      `SELECT request_id FROM incoming_requests
       WHERE status = 'APPROVED' AND send_after <= now() AND expires_at > now() AND channel = ANY($1::text[])
       ORDER BY send_after, request_id LIMIT 20`,
      [[...this.settings.channels]],
    );
    for (const row of due.rows) await this.start(row.request_id);
  }

  async start(requestId: string): Promise<StartOutcome> {
    if (quietUntil(this.settings.quiet, this.now())) return "QUIET";
    const outcome = await withTransaction(this.pool, (tx) => this.startIn(tx, requestId));
    if (outcome === "STARTED" || outcome === "FAILED") this.audit.pushSoon();
    return outcome;
  }

  private async startIn(tx: Transaction, requestId: string): Promise<StartOutcome> {
    // The re-check just before selecting, under the row's lock: a cancellation the puller stores
    // now waits for this transaction, and then finds SENDING, which it may no longer cancel.
    const held = await tx.client.query<HeldRequest>(
      `SELECT status, requester_brand, channel, expression, approved_cap, max_recipients, send_after <= now() AS due, expires_at <= now() AS expired
       FROM incoming_requests WHERE request_id = $1 FOR UPDATE`,
      [requestId],
    );
    const request = held.rows[0];
    if (!request || request.status !== "APPROVED" || !request.due || request.expired || !this.settings.channels.has(request.channel)) return "NOT_DUE";
    const subject = { requestId, requester: request.requester_brand, channel: request.channel };
    // The owner's rules may make this moment quiet for this request: it waits, nothing written.
    if (await quietEnd(this.settings, subject, this.now())) return "QUIET";
    const actor = sendActor(this.settings.brandId);
    const fail = async (reason: string) => {
      await setTargetStatus(tx, this.audit, { requestId, from: ["APPROVED"], to: "FAILED", actor, ownerPayload: { reason, selected: 0 } });
      return "FAILED" as const;
    };
    let condition;
    try {
      const expression = parseTagExpression(request.expression);
      condition = expressionCondition(expression, this.dictionary.entries(tagKeysOf(expression)));
    } catch (error) {
      // The taxonomy lost a tag since the request was received: nobody can be selected by it.
      if (isAppError(error)) return fail(error.code);
      throw error;
    }
    const cap = request.approved_cap ?? request.max_recipients;
    const selection = await selectRecipients(tx, {
      requestId,
      channel: request.channel,
      expression: condition,
      cap,
      batchSize: this.settings.batchSize,
      frequencyCap: this.settings.frequencyCap,
      frequencyWindowDays: this.settings.frequencyWindowDays,
      extraLimits: (await this.settings.rules?.frequencyLimits(subject, this.settings.frequencyCap)) ?? [],
    });
    await setTargetStatus(tx, this.audit, {
      requestId,
      from: ["APPROVED"],
      to: "SENDING",
      actor,
      ownerPayload: { selected: selection.selected, batches: selection.batches, cap, recipientListHash: selection.listHash },
    });
    if (selection.selected === 0) {
      await setTargetStatus(tx, this.audit, { requestId, from: ["SENDING"], to: "SENT", actor, ownerPayload: { selected: 0, sent: 0, failed: 0, ambiguous: 0 } });
      return "STARTED";
    }
    const jobs = Array.from({ length: selection.batches }, (_, batch) => {
      const data = { requestId, batch };
      return { data, singletonKey: batchKey(data) };
    });
    await this.enqueue(jobs, { executeSql: (text, values) => tx.client.query(text, values) });
    return "STARTED";
  }
}
