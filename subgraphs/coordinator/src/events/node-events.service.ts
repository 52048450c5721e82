import type pg from "pg";
import { z } from "zod";
import { AppError } from "@brandpool/errors";
import type { JsonObject } from "@brandpool/audit-chain";
import type { Principal } from "@brandpool/policy";
import { isAction, principalActor } from "@brandpool/policy";
import { nodeEventReceipts } from "../db/node-event-receipt.table.js";
import { withTransaction } from "../db/transaction.js";
import { refusalOf } from "./node-event-refusal.js";
import type { NodeEventRefusalReason } from "./node-event-refusal.js";
import type { PlatformAudit } from "../audit/platform-audit.service.js";
import { issuesOf } from "../registry/brand.schema.js";
import { OUTREACH_STATUS_EVENT, applyTargetStatus } from "../outreach/apply-target-status.js";
import { OUTREACH_RESULTS_EVENT, applyOutreachResults, outreachResultsRefusal } from "../outreach/outreach-results.receiver.js";

const MAX_EVENTS = 100;

const NodeEventsSchema = z
  .array(z.object({ id: z.string(), type: z.string(), payload: z.record(z.string(), z.unknown()) }))
  .min(1)
  .max(MAX_EVENTS);

export type NodeEventOutcome =
  | { id: string; status: "ACCEPTED"; reason: null; message: null }
  | { id: string; status: "REFUSED"; reason: NodeEventRefusalReason; message: string };

export interface RecordedNodeEvents {
  /** Events newly recorded (a repeat is accepted but not counted). */
  recorded: number;
  outcomes: NodeEventOutcome[];
}

/** Events pushed by nodes and denials reported by the gateway, into the platform log. */
export class NodeEventsService {
  constructor(
    private readonly pool: pg.Pool,
    private readonly audit: PlatformAudit,
  ) {}

  /**
   * Accepts events only from a node, and only about that node's own brand: the subject is set
   * here from the caller, never from the payload. Each event is accepted or refused on its own
   * (one bad event never holds back the others); idempotent by brand and event id.
   */
  async recordFromNode(principal: Principal, events: readonly unknown[]): Promise<RecordedNodeEvents> {
    if (principal.kind !== "node") throw new AppError("FORBIDDEN", "Only a brand node pushes node events.");
    const parsed = NodeEventsSchema.safeParse(events);
    if (!parsed.success) throw new AppError("BAD_INPUT", `Push between 1 and ${MAX_EVENTS} events.`, { fields: issuesOf(parsed.error) });
    const brandId = principal.brand.id;
    return withTransaction(this.pool, async (tx) => {
      let recorded = 0;
      const outcomes: NodeEventOutcome[] = [];
      for (const event of parsed.data) {
        const refusal =
          refusalOf(event, brandId) ?? (event.type === OUTREACH_RESULTS_EVENT ? await outreachResultsRefusal(tx.db, brandId, event.payload) : null);
        if (refusal) {
          outcomes.push({ id: event.id, status: "REFUSED", ...refusal });
          continue;
        }
        // A status event's receipt and move stand or fall together (a refused one leaves neither).
        const isStatus = event.type === OUTREACH_STATUS_EVENT;
        if (isStatus) await tx.client.query("SAVEPOINT node_status");
        const inserted = await tx.db.insert(nodeEventReceipts).values({ id: event.id, brandId }).onConflictDoNothing().returning();
        if (inserted.length === 0) {
          // A repeat of an event recorded before (and applied then, if a status).
          if (isStatus) await tx.client.query("RELEASE SAVEPOINT node_status");
          outcomes.push({ id: event.id, status: "ACCEPTED", reason: null, message: null });
          continue;
        }
        if (isStatus) {
          const refused = await applyTargetStatus(tx.db, brandId, event.payload);
          if (refused) {
            await tx.client.query("ROLLBACK TO SAVEPOINT node_status");
            outcomes.push({ id: event.id, status: "REFUSED", ...refused });
            // The refusal itself is in the platform log: a node reaching for a target not its own is worth a trace.
            await this.audit.record(tx, [
              {
                type: "outreach.status_refused",
                actor: principalActor(principal),
                subject: { kind: "brand", brand: brandId },
                payload: { reason: refused.reason, nodeEventId: event.id, ...statusFacts(event.payload) },
              },
            ]);
            continue;
          }
          await tx.client.query("RELEASE SAVEPOINT node_status");
        }
        if (event.type === OUTREACH_RESULTS_EVENT) await applyOutreachResults(tx.db, brandId, event.payload);
        outcomes.push({ id: event.id, status: "ACCEPTED", reason: null, message: null });
        await this.audit.record(tx, [
          {
            type: `node.${event.type}`,
            actor: principalActor(principal),
            subject: { kind: "brand", brand: brandId },
            payload: { ...(event.payload as JsonObject), nodeEventId: event.id },
          },
        ]);
        recorded += 1;
      }
      return { recorded, outcomes };
    });
  }

  async recordDenial(principal: Principal, input: { action: string; brandId?: string | null; actor: Record<string, unknown> }): Promise<void> {
    if (principal.kind !== "gateway") throw new AppError("FORBIDDEN", "Only the gateway reports its denials.");
    // "Unknown": a root field with no declared action, denied by the gateway (fail closed).
    if (!isAction(input.action) && input.action !== "Unknown") throw new AppError("BAD_INPUT", "Unknown action.");
    await withTransaction(this.pool, (tx) =>
      this.audit.record(tx, [
        {
          type: "policy.denied",
          actor: input.actor as JsonObject,
          subject: input.brandId ? { kind: "brand", brand: input.brandId } : { kind: "platform" },
          payload: { action: input.action, decidedBy: "gateway" },
        },
      ]),
    );
  }

  /** A denial at the coordinator's own Cedar check. */
  async recordOwnDenial(principal: Principal, action: string, subject: JsonObject): Promise<void> {
    await withTransaction(this.pool, (tx) =>
      this.audit.record(tx, [{ type: "policy.denied", actor: principalActor(principal), subject, payload: { action, decidedBy: "coordinator" } }]),
    );
  }
}

/** What a refused status event claimed, for the log: the request id and status, if well-formed strings. */
function statusFacts(payload: Record<string, unknown>): JsonObject {
  const facts: Record<string, string> = {};
  for (const key of ["requestId", "status", "brandId", "target", "owner"]) {
    const value = payload[key];
    if (typeof value === "string" && value.length <= 64) facts[key] = value;
  }
  return facts;
}
