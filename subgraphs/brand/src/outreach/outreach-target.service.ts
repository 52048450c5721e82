import type { Principal } from "@brandpool/policy";
import type { Database } from "../db/database.js";
import type { DecidedKind, TargetStatus } from "../db/incoming-request.table.js";
import { IncomingRequestRepository } from "./incoming-request.repository.js";
import type { IncomingRequestRecord } from "./incoming-request.repository.js";
import type { OutreachCopy } from "./outreach-copy.type.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface TargetView {
  status: TargetStatus | null;
  reason: string | null;
  /** The stored copy, for the owner's staff only. */
  copy: OutreachCopy | null;
  /** Who decided (an approver, the rules, the minimum audience, the expiry): the owner's staff only. */
  decidedBy: DecidedKind | null;
}

/**
 * A target's status as this node holds it, for the requester's people and the owner's. A request
 * not received yet is waiting (PENDING), as the coordinator says; a brand that is neither the
 * requester nor this owner learns nothing (null). The decline reason goes to the owner's people only.
 */
export class OutreachTargetService {
  constructor(
    private readonly brandId: string,
    private readonly db: Database,
  ) {}

  async view(principal: Principal, requestId: string): Promise<TargetView> {
    const viewer = principal.kind === "user" ? principal.brand?.id : undefined;
    if (!viewer || !UUID.test(requestId)) return NOTHING;
    const copy = await new IncomingRequestRepository(this.db).find(requestId);
    if (!copy) return { ...NOTHING, status: "PENDING" };
    if (viewer !== this.brandId && viewer !== copy.requesterBrand) return NOTHING;
    const owner = viewer === this.brandId;
    if (owner) return { status: copy.status, reason: copy.declineReason, copy: copyOf(copy), decidedBy: copy.decidedKind };
    return { status: requesterStatus(copy), reason: null, copy: null, decidedBy: null };
  }
}

/**
 * The status the requester may read: an automatic decline not yet released reads PENDING, as
 * the coordinator still says, until the drawn time a person might have answered; one drawn to
 * come after the request's expiry is never told as a decline and reads EXPIRED from the expiry,
 * as a request nobody answered does (release-delay.ts).
 */
export function requesterStatus(copy: Pick<IncomingRequestRecord, "status" | "releaseAt" | "releasedAt" | "expiresAt">, now: Date = new Date()): TargetStatus {
  if (copy.status !== "DECLINED" || copy.releaseAt === null) return copy.status;
  if (copy.releaseAt >= copy.expiresAt) return now >= copy.expiresAt ? "EXPIRED" : "PENDING";
  return copy.releasedAt === null ? "PENDING" : "DECLINED";
}

const NOTHING: TargetView = Object.freeze({ status: null, reason: null, copy: null, decidedBy: null });

function copyOf(row: IncomingRequestRecord): OutreachCopy {
  return {
    requestId: row.requestId,
    requesterBrandId: row.requesterBrand,
    expression: row.expression,
    channel: row.channel,
    subject: row.subject,
    message: row.message,
    purpose: row.purpose,
    maxRecipients: row.maxRecipients,
    sendAfter: row.sendAfter.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    contentHash: row.contentHash,
    receivedAt: row.receivedAt.toISOString(),
    approvedCap: row.approvedCap,
  };
}
