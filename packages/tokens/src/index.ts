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
  FORWARDED_TOKEN_TTL_SECONDS,
  ForwardedCallerSchema,
  GATEWAY_ISSUER,
  ROLES,
  forwardedTokenVerifier,
  mintForwardedToken,
  serviceAudience,
} from "./forwarded-token.js";
export type { CallerRole, ForwardedCaller } from "./forwarded-token.js";
export { DEV_ISSUER, GATEWAY_AUDIENCE, mintCallerToken, mintNodeClientToken, nodeIssuer } from "./client-token.js";
