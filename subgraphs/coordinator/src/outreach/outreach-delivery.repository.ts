import { and, asc, eq, gt, inArray, lt } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { outreachRequests, outreachTargets } from "../db/outreach-request.table.js";
import type { OutreachRequestRecord } from "./outreach-request.repository.js";

export interface InboxRow {
  request: OutreachRequestRecord;
  status: (typeof outreachTargets.$inferSelect)["status"];
  version: number;
  deliverySeq: number;
  targets: string[];
}

/** What a target node has still to store, and its acknowledgements. */
export class OutreachDeliveryRepository {
  constructor(private readonly db: Database) {}

  /** The brand's targets whose latest version its node has not acknowledged, in delivery order. */
  async inbox(brand: string, afterSeq: number, limit: number): Promise<InboxRow[]> {
    const rows = await this.db
      .select({ request: outreachRequests, status: outreachTargets.status, version: outreachTargets.version, deliverySeq: outreachTargets.deliverySeq })
      .from(outreachTargets)
      .innerJoin(outreachRequests, eq(outreachRequests.id, outreachTargets.requestId))
      .where(and(eq(outreachTargets.brandId, brand), lt(outreachTargets.deliveredVersion, outreachTargets.version), gt(outreachTargets.deliverySeq, afterSeq)))
      .orderBy(asc(outreachTargets.deliverySeq))
      .limit(limit);
    if (rows.length === 0) return [];
    const all = await this.db
      .select({ requestId: outreachTargets.requestId, brandId: outreachTargets.brandId })
      .from(outreachTargets)
      .where(inArray(outreachTargets.requestId, rows.map((row) => row.request.id)));
    return rows.map((row) => ({ ...row, targets: all.filter((target) => target.requestId === row.request.id).map((target) => target.brandId).sort() }));
  }

  /** Marks `version` delivered; false when it was already, or is not the target's current version. */
  async acknowledge(requestId: string, brand: string, version: number): Promise<"RECORDED" | "ALREADY" | "UNKNOWN"> {
    const updated = await this.db
      .update(outreachTargets)
      .set({ deliveredVersion: version })
      .where(and(eq(outreachTargets.requestId, requestId), eq(outreachTargets.brandId, brand), eq(outreachTargets.version, version), lt(outreachTargets.deliveredVersion, version)))
      .returning({ requestId: outreachTargets.requestId });
    if (updated.length > 0) return "RECORDED";
    const [held] = await this.db
      .select({ version: outreachTargets.version, deliveredVersion: outreachTargets.deliveredVersion })
      .from(outreachTargets)
      .where(and(eq(outreachTargets.requestId, requestId), eq(outreachTargets.brandId, brand)));
    return held && held.deliveredVersion >= version && version >= 1 ? "ALREADY" : "UNKNOWN";
  }
}

