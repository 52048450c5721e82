import type pg from "pg";
import { AppError } from "@brandpool/errors";
import { principalActor } from "@brandpool/policy";
import type { Principal } from "@brandpool/policy";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/transaction.js";
import type { PlatformAudit } from "../audit/platform-audit.service.js";
import { OutreachDeliveryRepository } from "./outreach-delivery.repository.js";
import type { OutreachInbox } from "./outreach-delivery.type.js";
import { requestContentOf } from "./outreach-request.service.js";

const MAX_PAGE = 100;
const DEFAULT_PAGE = 20;

/** The calling node's brand: only a node pulls, and only what is addressed to its own brand. */
function nodeBrandOf(principal: Principal): string {
  if (principal.kind !== "node") throw new AppError("FORBIDDEN");
  return principal.brand.id;
}

function decodeInboxCursor(after: string | null | undefined): number {
  if (after === null || after === undefined) return 0;
  const match = /^d:(\d{1,15})$/.exec(Buffer.from(after, "base64url").toString("utf8"));
  if (!match) throw new AppError("BAD_INPUT", "after is not a cursor of this inbox.", { field: "after" });
  return Number(match[1]);
}

/**
 * Delivery of outreach requests to their target nodes: each node pulls what it has not
 * acknowledged and acknowledges each version it stored, so a node that was down catches up and
 * a repeated pull or acknowledgement changes nothing.
 */
export class OutreachDeliveryService {
  constructor(
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly audit: PlatformAudit,
  ) {}

  async inbox(principal: Principal, options: { after: string | null; first: number | null }): Promise<OutreachInbox> {
    const brand = nodeBrandOf(principal);
    const first = options.first ?? DEFAULT_PAGE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw new AppError("BAD_INPUT", `first is 1 to ${MAX_PAGE}.`, { field: "first" });
    const rows = await new OutreachDeliveryRepository(this.db).inbox(brand, decodeInboxCursor(options.after), first);
    const last = rows.at(-1);
    return {
      deliveries: rows.map(({ request, status, version, targets }) => ({
        requestId: request.id,
        version,
        status,
        targetBrandIds: targets,
        ...requestContentOf(request),
      })),
      endCursor: last && rows.length === first ? Buffer.from(`d:${last.deliverySeq}`, "utf8").toString("base64url") : null,
    };
  }

  /** Records that the node stored `version` of its target; audited once per version. */
  async acknowledge(principal: Principal, requestId: string, version: number): Promise<boolean> {
    const brand = nodeBrandOf(principal);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(requestId) || !Number.isInteger(version) || version < 1) {
      throw new AppError("NOT_FOUND", "No such delivery.");
    }
    return withTransaction(this.pool, async (tx) => {
      const outcome = await new OutreachDeliveryRepository(tx.db).acknowledge(requestId, brand, version);
      if (outcome === "UNKNOWN") throw new AppError("NOT_FOUND", "No such delivery.");
      if (outcome === "RECORDED") {
        await this.audit.record(tx, [
          {
            type: "outreach.delivered",
            actor: principalActor(principal),
            subject: { kind: "outreach-request", id: requestId },
            payload: { target: brand, version },
          },
        ]);
      }
      return true;
    });
  }
}
