import type { RetryPolicy } from "../delivery/index.js";
import type { Channel } from "../members/expression.sql.js";
import type { QuietHours } from "./quiet-hours.js";
import { quietUntil } from "./quiet-hours.js";

/** A request as the owner's sending rules see it. */
export interface SendSubject {
  requestId: string;
  requester: string;
  channel: Channel;
}

/** An extra frequency cap: a member with `cap` partner messages in the last `windowDays` is skipped. */
export interface ExtraFrequencyLimit {
  windowDays: number;
  cap: number;
}

/**
 * What the owner's sharing rules add to sending (rules/send-rules.ts): quiet time beyond the
 * node's quiet hours, and frequency caps below the node's. They can only add: the node's own
 * settings hold whatever the rules say.
 */
export interface SendRules {
  /** When the rules' quiet time that `at` falls in ends, or null when they allow sending now. */
  quietUntil(subject: SendSubject, at: Date): Promise<Date | null>;
  frequencyLimits(subject: SendSubject, upTo: number): Promise<ExtraFrequencyLimit[]>;
}

/** How this node sends approved outreach (from its config.ts). */
export interface SendSettings {
  brandId: string;
  /** Channels with an adapter configured; a request on another channel waits, APPROVED. */
  channels: ReadonlySet<Channel>;
  quiet: QuietHours;
  batchSize: number;
  frequencyCap: number;
  frequencyWindowDays: number;
  retry: RetryPolicy;
  /** Country of the MAIL channel's export rows. */
  mailCountry: string;
  /** The owner's sharing rules' additions (none: the node's settings alone). */
  rules?: SendRules;
}

/**
 * When sending this request may go on, if not now: the end of the node's quiet hours or of the
 * rules' quiet time, whichever holds later (one can end inside the other). Null: send now.
 */
export async function quietEnd(settings: Pick<SendSettings, "quiet" | "rules">, subject: SendSubject, at: Date): Promise<Date | null> {
  let until = at;
  for (let step = 0; step < 8; step += 1) {
    const byNode = quietUntil(settings.quiet, until);
    const byRules = settings.rules ? await settings.rules.quietUntil(subject, until) : null;
    const next = [byNode, byRules].filter((end): end is Date => end !== null).reduce<Date | null>((a, b) => (a && a > b ? a : b), null);
    if (!next) return until.getTime() === at.getTime() ? null : until;
    until = next;
  }
  return until;
}

/** The name this node's own send job has as actor in audit events. */
export function sendActor(brandId: string) {
  return { kind: "node", brand: brandId, job: "send" } as const;
}

/** pg-boss queue of send batches; a job's data is `{ requestId, batch }` and nothing else. */
export const SEND_BATCH_QUEUE = "outreach-batch";

export interface SendBatchJob {
  requestId: string;
  batch: number;
}

export function batchKey(job: SendBatchJob): string {
  return `${job.requestId}:${job.batch}`;
}
