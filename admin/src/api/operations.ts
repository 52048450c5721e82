// Every operation the UI sends. None asks for a partner's estimate except ESTIMATE, which runs
// only when the analyst presses "Estimate".

export const VIEWER = `query Viewer { viewer { kind subject brandId role } brands { id name nameZh admitted timeZone } }`;

export const TAGS = `query Tags { tags { key dimension value labelZh labelEn sensitive cardinality } }`;

const REQUEST_FIELDS = `id status requesterBrandId expression channel subject message purpose maxRecipientsPerBrand sendAfter expiresAt contentHash createdAt`;

export const INCOMING_REQUESTS = `query Incoming($after: String) {
  outreachRequests(direction: INCOMING, first: 20, after: $after) {
    edges { cursor node { ${REQUEST_FIELDS} targets { brandId status statusAt reason copy { contentHash maxRecipients approvedCap receivedAt } exactAudience sendsAt rulesDecision { decision reasons } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const OUTGOING_REQUESTS = `query Outgoing($after: String) {
  outreachRequests(direction: OUTGOING, first: 20, after: $after) {
    edges { cursor node { ${REQUEST_FIELDS} targets { brandId status statusAt results { contacted delivered failed redeemed margin95 threshold releaseNumber releasedAt } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const DECIDE = `mutation Decide($requestId: ID!, $contentHash: String!, $decision: OutreachDecision!, $cap: Int, $reason: String) {
  decideOutreachRequest(requestId: $requestId, contentHash: $contentHash, decision: $decision, cap: $cap, reason: $reason) { brandId status reason }
}`;

export const CREATE_REQUEST = `mutation Create($input: CreateOutreachRequestInput!) { createOutreachRequest(input: $input) { id status } }`;

export const CANCEL_REQUEST = `mutation Cancel($requestId: ID!) { cancelOutreachRequest(requestId: $requestId) { id status } }`;

/** What the estimate of one partner costs and what is left: free to ask, spends nothing. */
export const PARTNER_BUDGET = `query PartnerBudget($id: ID!) { brand(id: $id) { id privacyBudget { epsilonPerQuestion epsilonTotal epsilonSpent epsilonRemaining periodEnd } } }`;

export const ESTIMATE = `query Estimate($id: ID!, $expression: String!, $channel: OutreachChannel) {
  brand(id: $id) { id audienceEstimate(expression: $expression, channel: $channel) { count belowThreshold threshold margin95 epsilon period repeated epsilonSpent budgetRemaining } }
}`;

export const MEMBERS = `query Members($expression: String, $first: Int, $after: String) {
  members(expression: $expression, first: $first, after: $after) {
    totalCount
    edges { cursor node { id externalId name phone email joinDate tags consent { sms email mail } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const BUDGETS = `query Budgets { privacyBudgets { requesterBrandId epsilonTotal epsilonSpent epsilonRemaining periodEnd } poolBudget { epsilonTotal epsilonSpent epsilonRemaining periodEnd } }`;

export const PLATFORM_AUDIT = `query PlatformAudit($brandId: ID, $action: String, $after: String) {
  auditEvents(brandId: $brandId, action: $action, after: $after, first: 50) {
    edges { cursor node { id sequence action actorBrandId targetBrandId targetBrandIds objectId at } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const BRAND_AUDIT = `query BrandAudit($id: ID!, $action: String, $after: String) {
  brand(id: $id) { id auditEvents(action: $action, after: $after, first: 50) {
    edges { cursor node { id sequence action actorBrandId targetBrandId targetBrandIds objectId at } }
    pageInfo { hasNextPage endCursor }
  } }
}`;

export const VERIFY_PLATFORM_CHAIN = `query VerifyPlatform { verifyAuditChain { ok checked firstBrokenEventId headsChecked } }`;

export const VERIFY_BRAND_CHAIN = `query VerifyBrand($id: ID!) { brand(id: $id) { id verifyAuditChain { ok checked firstBrokenEventId headsChecked } } }`;

export const RECONCILE = `query Reconcile($requestId: ID!) { reconcileOutreachRequest(requestId: $requestId) { requestId ok mismatches } }`;

export const BEGIN_IMPORT = `mutation BeginImport { beginImport(kind: MEMBERS) { id } }`;

export const APPEND_IMPORT_ROWS = `mutation AppendImportRows($importId: ID!, $rows: [MemberInput!]!) {
  appendImportRows(importId: $importId, rows: $rows) { accepted rejected { row reason } }
}`;

export const COMMIT_IMPORT = `mutation CommitImport($importId: ID!, $allowRejected: Boolean) {
  commitImport(importId: $importId, allowRejected: $allowRejected) { inserted updated rejected }
}`;

export const SHARING_RULES = `query SharingRules { sharingRules { policies validatedAt hash } minimumOutreachAudience }`;

export const UPDATE_SHARING_RULES = `mutation UpdateSharingRules($policies: String!) { updateSharingRules(policies: $policies) { policies validatedAt hash } }`;

/** A dry run of the given (unsaved) text over the last requests received: nothing changes. */
export const PREVIEW_SHARING_DECISIONS = `query PreviewSharing($policies: String) {
  previewSharingDecisions(policies: $policies, last: 50) { requestId decision reasons }
  outreachRequests(direction: INCOMING, first: 100) { edges { node { id requesterBrandId purpose channel createdAt } } }
}`;

export const SET_MINIMUM_AUDIENCE = `mutation SetMinimum($minimum: Int!) { setMinimumOutreachAudience(minimum: $minimum) }`;
