export interface OutreachResults {
  contacted: number | null;
  delivered: number | null;
  failed: number | null;
  redeemed: number | null;
  margin95: number;
  threshold: number;
  releaseNumber: number;
  releasedAt: string;
}

export interface OutreachTarget {
  brandId: string;
  status: string;
  statusAt: string;
  reason?: string | null;
  copy?: { contentHash: string; maxRecipients: number; approvedCap: number | null; receivedAt: string } | null;
  results?: OutreachResults | null;
  /** The owner's own review fields (its approvers and admins only). */
  exactAudience?: number | null;
  sendsAt?: string | null;
  rulesDecision?: { decision: "APPROVE" | "DECLINE" | "PENDING"; reasons: string[] } | null;
}

export interface OutreachRequest {
  id: string;
  status: string;
  requesterBrandId: string;
  expression: string;
  channel: "SMS" | "EMAIL" | "MAIL";
  subject: string | null;
  message: string;
  purpose: string;
  maxRecipientsPerBrand: number;
  sendAfter: string;
  expiresAt: string;
  contentHash: string;
  createdAt: string;
  targets: OutreachTarget[];
}

export interface RequestPage {
  outreachRequests: { edges: { cursor: string; node: OutreachRequest }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}
