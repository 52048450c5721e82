import type { RecordedAuditHead } from "@brandpool/audit-chain";
import type { GatewayClient } from "../pool/gateway-client.js";

const PAGE = 1000;
const HEADS = "query($after: Int, $first: Int) { auditHeads(after: $after, first: $first) { sequence hash eventId } }";

/** The chain heads of this node's brand that the coordinator recorded, read through the gateway as this node. */
export async function fetchRecordedHeads(gateway: GatewayClient): Promise<RecordedAuditHead[]> {
  const heads: RecordedAuditHead[] = [];
  let after = 0;
  for (;;) {
    const data = await gateway.request<{ auditHeads: { sequence: number; hash: string; eventId: string }[] }>(HEADS, { after, first: PAGE });
    heads.push(...data.auditHeads.map((head) => ({ seq: head.sequence, hash: head.hash, eventId: head.eventId })));
    const last = data.auditHeads.at(-1);
    if (data.auditHeads.length < PAGE || !last) return heads;
    after = last.sequence;
  }
}
