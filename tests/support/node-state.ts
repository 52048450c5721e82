import { importPrivateKey, mintForwardedToken } from "@brandpool/tokens";
import type { TestStack } from "./test-stack.js";

/** What a refusal must leave as it was in one node's database. */
export interface NodeState {
  members: number;
  /** md5 over every members row (all columns, in seq order): any write changes it. */
  membersChecksum: string;
  privacyAnswers: number;
  privacySpend: number;
  auditEvents: number;
}

export async function nodeState(stack: TestStack, brandId: string): Promise<NodeState> {
  const [members] = await stack.sql<{ n: number; checksum: string }>(
    brandId,
    "SELECT count(*)::int AS n, md5(coalesce(string_agg(m::text, E'\\n' ORDER BY m.seq), '')) AS checksum FROM members m",
  );
  const [counts] = await stack.sql<{ answers: number; spend: number; audit: number }>(
    brandId,
    `SELECT (SELECT count(*)::int FROM privacy_answers) AS answers,
            (SELECT count(*)::int FROM privacy_spend) AS spend,
            (SELECT count(*)::int FROM audit_events) AS audit`,
  );
  return {
    members: members?.n ?? -1,
    membersChecksum: members?.checksum ?? "",
    privacyAnswers: counts?.answers ?? -1,
    privacySpend: counts?.spend ?? -1,
    auditEvents: counts?.audit ?? -1,
  };
}

/**
 * A token as the gateway mints it for one fetch to one node, so a test can call that node
 * directly (past the gateway's own limits) as an analyst of `brand`.
 */
export async function gatewayTokenForNode(stack: TestStack, nodeBrandId: string, brand: string): Promise<string> {
  const key = await importPrivateKey(stack.keys.gateway);
  return mintForwardedToken(key, stack.keys.gateway.kid ?? "gateway", `node:${nodeBrandId}`, {
    kind: "user",
    subject: `${brand}-analyst@test`,
    brand,
    role: "analyst",
    tokenId: `test-${Date.now()}`,
  });
}
