import type pg from "pg";
import { readAuditHead } from "@brandpool/audit-chain";
import type { RecordedAuditHead } from "@brandpool/audit-chain";
import { importPrivateKey, signAuditHead } from "@brandpool/tokens";
import type { PrivateJwk } from "@brandpool/tokens";
import type { GatewayClient } from "../pool/gateway-client.js";
import { AUDIT_TABLE } from "./node-audit.service.js";

/**
 * At most one push a second, however often writes nudge the job: each recorded head is an event of
 * the platform log, and the periodic run catches up with whatever a skipped nudge left.
 */
const MIN_PUSH_INTERVAL_MS = 1_000;

const RECORD_HEAD = "mutation($head: String!) { recordAuditHead(head: $head) { sequence recorded } }";

/**
 * Signs this node's chain head (last seq, its hash and id) with the node's own key and pushes it
 * to the coordinator through the gateway, which records it in the platform chain. Once recorded,
 * a head pins the node's past: rehashing the chain or cutting its tail no longer goes unnoticed.
 * The push itself is not an event of this node's log (that would move the head it reports).
 */
export class AuditHeadPusher {
  private key: ReturnType<typeof importPrivateKey> | undefined;
  /** The last head the coordinator accepted from this process: a chain that did not move is not pushed again. */
  private lastPushed: RecordedAuditHead | null = null;
  private lastPushAt = 0;

  constructor(
    private readonly brandId: string,
    private readonly pool: pg.Pool,
    private readonly gateway: GatewayClient,
    private readonly nodeKey: PrivateJwk,
  ) {}

  async push(): Promise<void> {
    if (Date.now() - this.lastPushAt < MIN_PUSH_INTERVAL_MS) return;
    const head = await readAuditHead(this.pool, AUDIT_TABLE);
    if (!head) return;
    if (this.lastPushed && this.lastPushed.seq === head.seq && this.lastPushed.hash === head.hash) return;
    this.key ??= importPrivateKey(this.nodeKey);
    const jws = await signAuditHead(await this.key, this.nodeKey.kid ?? "node", {
      brand: this.brandId,
      seq: head.seq,
      hash: head.hash,
      eventId: head.eventId,
      signedAt: new Date().toISOString(),
    });
    this.lastPushAt = Date.now();
    await this.gateway.request(RECORD_HEAD, { head: jws });
    this.lastPushed = head;
  }
}
