import type pg from "pg";
import { z } from "zod";
import { AppError } from "@brandpool/errors";
import type { JsonObject } from "@brandpool/audit-chain";
import type { Principal } from "@brandpool/policy";
import { isAction, principalActor } from "@brandpool/policy";
import { nodeEventReceipts } from "../db/node-event-receipt.table.js";
import { withTransaction } from "../db/transaction.js";
import type { PlatformAudit } from "../audit/platform-audit.service.js";
import { issuesOf } from "../registry/brand.schema.js";

const MAX_EVENTS = 100;
const MAX_PAYLOAD_BYTES = 8_192;

const NodeEventSchema = z.object({
  id: z.string().uuid(),
  type: z.string().regex(/^[a-z]+(\.[a-z_]+)+$/, "must look like estimate.answered"),
  payload: z
    .record(z.string(), z.unknown())
    .refine((payload) => Buffer.byteLength(JSON.stringify(payload)) <= MAX_PAYLOAD_BYTES, `must be at most ${MAX_PAYLOAD_BYTES} bytes`),
});

/** Events pushed by nodes and denials reported by the gateway, into the platform log. */
export class NodeEventsService {
  constructor(
    private readonly pool: pg.Pool,
    private readonly audit: PlatformAudit,
  ) {}

  /**
   * Accepts events only from a node, and only about that node's own brand: the subject is set
   * here from the caller, never from the payload. Idempotent by event id.
   */
  async recordFromNode(principal: Principal, events: readonly unknown[]): Promise<number> {
    if (principal.kind !== "node") throw new AppError("FORBIDDEN", "Only a brand node pushes node events.");
    if (events.length === 0 || events.length > MAX_EVENTS) throw new AppError("BAD_INPUT", `Push between 1 and ${MAX_EVENTS} events.`);
    const parsed = z.array(NodeEventSchema).safeParse(events);
    if (!parsed.success) throw new AppError("BAD_INPUT", "The events are not valid.", { fields: issuesOf(parsed.error) });
    const brandId = principal.brand.id;
    const owner = parsed.data.find((event) => "owner" in event.payload && event.payload.owner !== brandId);
    if (owner) throw new AppError("FORBIDDEN", "A node records events only about its own brand.");
    return withTransaction(this.pool, async (tx) => {
      let accepted = 0;
      for (const event of parsed.data) {
        const inserted = await tx.db.insert(nodeEventReceipts).values({ id: event.id, brandId }).onConflictDoNothing().returning();
        if (inserted.length === 0) continue;
        await this.audit.record(tx, [
          {
            type: `node.${event.type}`,
            actor: principalActor(principal),
            subject: { kind: "brand", brand: brandId },
            payload: { ...(event.payload as JsonObject), nodeEventId: event.id },
          },
        ]);
        accepted += 1;
      }
      return accepted;
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
