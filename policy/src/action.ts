/**
 * Every action of the Cedar schema (`Brandpool::Action::"<name>"`). The authorizer refuses to
 * load if this list and the schema's actions differ, and the fixture tests fail for an action
 * without ALLOW and DENY scenarios, so an action cannot be added in one place only.
 */
export const ACTIONS = [
  "ReadViewer",
  "ReadBrands",
  "ReadTaxonomy",
  "ManageRegistry",
  "ManageTaxonomy",
  "ReadPlatformAudit",
  "ReadAuditEvents",
  "RequestOutreach",
  "ReadOutreachRequests",
  "ReadRoutingTable",
  "RecordEvent",
  "PullOutreach",
  "DecideOutreach",
  "ReadOutreachTarget",
  "ReadAuditHeads",
  "ListMembers",
  "ImportMembers",
  "TagMembers",
  "EstimateAudience",
  "ReadBrandAudit",
  "ReadPrivacyBudgets",
  "ManagePrivacyBudgets",
  "ReadOutboxRefusals",
  "ExportOutreachMail",
  "RedeemCoupon",
  "CheckCoupon",
  "ManageSharingRules",
] as const;

export type Action = (typeof ACTIONS)[number];

export function isAction(value: unknown): value is Action {
  return typeof value === "string" && (ACTIONS as readonly string[]).includes(value);
}
