import type pg from "pg";
import { HEAD_RECORDED_EVENT } from "@brandpool/audit-chain";
import type { RecordedAuditHead } from "@brandpool/audit-chain";
import { AppError } from "@brandpool/errors";
import type { Principal } from "@brandpool/policy";
import { principalActor } from "@brandpool/policy";
import { PublicJwkSchema, verifyAuditHead } from "@brandpool/tokens";
import { BrandRepository } from "../registry/brand.repository.js";
import { withTransaction } from "../db/transaction.js";
import { AUDIT_TABLE } from "./platform-audit.service.js";
import type { PlatformAudit } from "./platform-audit.service.js";

/** Largest page of `auditHeads`. */
export const MAX_HEADS_PAGE = 1000;

export interface HeadReceipt {
  brandId: string;
  sequence: number;
  hash: string;
  /** False when this exact head was already recorded (a repeated push changes nothing). */
  recorded: boolean;
}

/**
 * Signed chain heads of the brand nodes, recorded in the platform log itself (`audit.head_recorded`
 * events), so the record of a node's heads is as tamper-evident as the rest of the platform chain
 * and the coordinator keeps no second copy that could disagree with it.
 */
export class AuditHeadsService {
  constructor(
    private readonly pool: pg.Pool,
    private readonly audit: PlatformAudit,
  ) {}

  /**
   * Records a head pushed by a node: signed by the key registered for that brand's node, about
   * that node's own brand, never going back and never contradicting a head already recorded.
   */
  async record(principal: Principal, jws: string): Promise<HeadReceipt> {
    if (principal.kind !== "node") throw new AppError("FORBIDDEN", "Only a brand node pushes its chain head.");
    const brandId = principal.brand.id;
    if (typeof jws !== "string" || jws.length > 4_096) throw new AppError("BAD_INPUT", "The head is not a signed chain head.", { reason: "BAD_SIGNATURE" });
    return withTransaction(this.pool, async (tx) => {
      const brand = await new BrandRepository(tx.db).find(brandId);
      const key = PublicJwkSchema.safeParse(brand?.nodeKey);
      if (!brand || !key.success) throw new AppError("FORBIDDEN", "This node has no registered key.");
      const head = await verifyAuditHead(jws, key.data);
      if (!head) throw new AppError("BAD_INPUT", "The head is not signed by this brand's registered node key.", { reason: "BAD_SIGNATURE" });
      if (head.brand !== brandId) throw new AppError("FORBIDDEN", "A node pushes only its own brand's chain head.", { reason: "OTHER_BRAND" });

      // One brand's heads are recorded one at a time, so "never backwards" holds under concurrent pushes.
      await tx.client.query("SELECT pg_advisory_xact_lock(hashtext('audit-head'), hashtext($1))", [brandId]);
      const same = await this.headAt(tx.client, brandId, head.seq);
      if (same) {
        if (same.hash === head.hash && same.eventId === head.eventId) return { brandId, sequence: head.seq, hash: head.hash, recorded: false };
        throw new AppError("CONFLICT", "This head contradicts the one recorded for the same sequence number.", { reason: "HEAD_CONTRADICTS", sequence: head.seq });
      }
      const latest = await this.latest(tx.client, brandId);
      if (latest && head.seq < latest.seq) {
        throw new AppError("CONFLICT", "This head goes back behind the last one recorded.", { reason: "HEAD_BEHIND", sequence: latest.seq });
      }
      await this.audit.record(tx, [
        {
          type: HEAD_RECORDED_EVENT,
          actor: principalActor(principal),
          subject: { kind: "brand", brand: brandId },
          // The signature itself, so anyone holding the node's public key can check the head later.
          payload: { seq: head.seq, hash: head.hash, eventId: head.eventId, signedAt: head.signedAt, signature: jws },
        },
      ]);
      return { brandId, sequence: head.seq, hash: head.hash, recorded: true };
    });
  }

  /** The heads recorded for a brand, in sequence order, after `after` (a sequence number). */
  async headsOf(brandId: string, after: number, first: number): Promise<RecordedAuditHead[]> {
    if (!Number.isSafeInteger(after) || after < 0) throw new AppError("BAD_INPUT", "after must be a sequence number (0 or more).", { field: "after" });
    if (!Number.isInteger(first) || first < 1 || first > MAX_HEADS_PAGE) {
      throw new AppError("BAD_INPUT", `first must be between 1 and ${MAX_HEADS_PAGE}.`, { field: "first" });
    }
    const { rows } = await this.pool.query<{ seq: string; hash: string; event_id: string }>(
      `SELECT payload->>'seq' AS seq, payload->>'hash' AS hash, payload->>'eventId' AS event_id FROM ${AUDIT_TABLE}
        WHERE type = $1 AND subject->>'brand' = $2 AND (payload->>'seq')::bigint > $3::bigint
        ORDER BY (payload->>'seq')::bigint LIMIT ${first}`,
      [HEAD_RECORDED_EVENT, brandId, String(after)],
    );
    return rows.map((row) => ({ seq: Number(row.seq), hash: row.hash, eventId: row.event_id }));
  }

  private async headAt(client: pg.ClientBase, brandId: string, seq: number): Promise<RecordedAuditHead | undefined> {
    const { rows } = await client.query<{ hash: string; event_id: string }>(
      `SELECT payload->>'hash' AS hash, payload->>'eventId' AS event_id FROM ${AUDIT_TABLE}
        WHERE type = $1 AND subject->>'brand' = $2 AND (payload->>'seq')::bigint = $3::bigint LIMIT 1`,
      [HEAD_RECORDED_EVENT, brandId, String(seq)],
    );
    const row = rows[0];
    return row ? { seq, hash: row.hash, eventId: row.event_id } : undefined;
  }

  private async latest(client: pg.ClientBase, brandId: string): Promise<{ seq: number } | undefined> {
    const { rows } = await client.query<{ seq: string }>(
      `SELECT max((payload->>'seq')::bigint)::text AS seq FROM ${AUDIT_TABLE} WHERE type = $1 AND subject->>'brand' = $2`,
      [HEAD_RECORDED_EVENT, brandId],
    );
    const seq = rows[0]?.seq;
    return seq ? { seq: Number(seq) } : undefined;
  }
}
