export { ACTIONS, isAction, type Action } from "./action.js";
export { ROLES, isRole, principalActor, type BrandFacts, type Principal, type Role } from "./principal.js";
export type { Resource } from "./resource.js";
export type { Decision } from "./decision.js";
export {
  GATEWAY_ID,
  NAMESPACE,
  PLATFORM_ID,
  toCedarRequest,
  type AuthorizationRequest,
  type CedarRequest,
  type RequestContext,
} from "./cedar-request.js";
export {
  POLICIES_PATH,
  SCHEMA_PATH,
  readPolicySources,
  type PolicySources,
} from "./policy-files.js";
export { Authorizer } from "./authorizer.js";
export {
  CONTACT_WINDOWS,
  MAX_SHARING_RULES_CHARACTERS,
  SHARING_RULES_NAMESPACE,
  SHARING_RULES_SCHEMA,
  contactLimits,
  decideRequest,
  linkVerdict,
  parseSharingRules,
  policyTextHash,
  sendForbiddenBy,
  type FrequencyLimit,
  type PolicyProblem,
  type RequestDecision,
  type RequestFacts,
  type SharingRuleSet,
} from "./sharing-rules.js";
