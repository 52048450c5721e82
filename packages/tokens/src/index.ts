export {
  JwkSetSchema,
  PrivateJwkSchema,
  PublicJwkSchema,
  SIGNING_ALGORITHM,
  generateSigningKeyPair,
  importPrivateKey,
  localKeySet,
  publicJwkOf,
} from "./keys.js";
export type { JwkSet, KeyPair, PrivateJwk, PublicJwk } from "./keys.js";
export {
  DEFAULT_MAX_REMEMBERED_TOKENS,
  FORWARDED_TOKEN_CLOCK_SKEW_SECONDS,
  FORWARDED_TOKEN_TTL_SECONDS,
  ForwardedCallerSchema,
  GATEWAY_ISSUER,
  ROLES,
  forwardedTokenVerifier,
  mintForwardedToken,
  serviceAudience,
} from "./forwarded-token.js";
export type { CallerRole, ForwardedCaller } from "./forwarded-token.js";
export {
  DEV_PLATFORM_ISSUER,
  GATEWAY_AUDIENCE,
  devBrandIssuer,
  isDevIssuer,
  mintCallerToken,
  mintNodeClientToken,
  COORDINATOR_ISSUER,
  mintCoordinatorClientToken,
  nodeIssuer,
} from "./client-token.js";
export { SeenTokenIds } from "./seen-token-ids.js";
export type { RememberOutcome } from "./seen-token-ids.js";
export {
  CALLER_TOKEN_LIFETIME_CEILING_SECONDS,
  CLOCK_SKEW_SECONDS,
  DEFAULT_CALLER_TOKEN_MAX_LIFETIME_SECONDS,
  LIFETIME_PROBLEM_TEXT,
  NODE_CLIENT_TOKEN_MAX_LIFETIME_SECONDS,
  lifetimeProblem,
} from "./token-lifetime.js";
export type { LifetimeProblem } from "./token-lifetime.js";
export { AUDIT_HEAD_TYPE, AuditHeadSchema, signAuditHead, verifyAuditHead } from "./audit-head.js";
export type { AuditHead } from "./audit-head.js";
