import type pg from "pg";
import { isAppError } from "@brandpool/errors";
import type { NodeAudit } from "../audit/node-audit.service.js";
import { withTransaction } from "../db/transaction.js";
import type { GatewayClient } from "../pool/gateway-client.js";
import { receiveOutreachRequest } from "./receive-outreach-request.js";
import type { OnStored } from "./receive-outreach-request.js";

const PAGE = 50;
const INBOX = `query($after: String, $first: Int) { outreachInbox(after: $after, first: $first) {
  deliveries { requestId version status requesterBrandId targetBrandIds expression channel subject message purpose maxRecipientsPerBrand sendAfter expiresAt contentHash }
  endCursor } }`;
const ACK = "mutation($requestId: ID!, $version: Int!) { acknowledgeOutreach(requestId: $requestId, version: $version) }";

interface InboxAnswer {
  outreachInbox: { deliveries: { requestId: string; version: number }[]; endCursor: string | null };
}

/**
 * Pulls this node's outreach inbox from the coordinator, through the gateway, stores each
 * delivery (receiveOutreachRequest re-checks its hash) and acknowledges it only once stored.
 * A refused delivery is neither stored nor acknowledged, so it stays at the coordinator; a lost
 * acknowledgement only means the next run receives the same version again, which stores nothing.
 */
export class OutreachPuller {
  constructor(
    private readonly brandId: string,
    private readonly gateway: GatewayClient,
    private readonly pool: pg.Pool,
    private readonly audit: Pick<NodeAudit, "record" | "pushSoon">,
    /** The decision step's hook for each new request (the minimum audience, the owner's rules). */
    private readonly onStored?: OnStored,
  ) {}

  async drain(): Promise<void> {
    let after: string | null = null;
    do {
      const page: InboxAnswer = await this.gateway.request<InboxAnswer>(INBOX, { after, first: PAGE });
      for (const delivery of page.outreachInbox.deliveries) {
        try {
          const outcome = await withTransaction(this.pool, (tx) => receiveOutreachRequest(tx, this.audit, this.brandId, delivery, this.onStored));
          // A cancellation (or a rule's decision) queued an outreach.status for the coordinator.
          if (outcome !== "UNCHANGED") this.audit.pushSoon();
        } catch (error) {
          // Refused (hash mismatch, not addressed to this brand, other content under a known id).
          if (isAppError(error) && (error.code === "BAD_INPUT" || error.code === "CONFLICT")) continue;
          throw error;
        }
        await this.gateway.request(ACK, { requestId: delivery.requestId, version: delivery.version });
      }
      after = page.outreachInbox.endCursor;
    } while (after !== null);
  }
}
