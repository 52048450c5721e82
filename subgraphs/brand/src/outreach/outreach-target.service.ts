import type { Principal } from "@brandpool/policy";
import type { Database } from "../db/database.js";
import type { TargetStatus } from "../db/incoming-request.table.js";
import { IncomingRequestRepository } from "./incoming-request.repository.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface TargetView {
  status: TargetStatus | null;
  reason: string | null;
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
    if (!viewer || !UUID.test(requestId)) return { status: null, reason: null };
    const copy = await new IncomingRequestRepository(this.db).find(requestId);
    if (!copy) return { status: "PENDING", reason: null };
    if (viewer !== this.brandId && viewer !== copy.requesterBrand) return { status: null, reason: null };
    return { status: copy.status, reason: viewer === this.brandId ? copy.declineReason : null };
  }
}
