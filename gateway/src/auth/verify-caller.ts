import * as jose from "jose";
import { AppError } from "@brandpool/errors";
import type { Principal } from "@brandpool/policy";
import { isRole } from "@brandpool/policy";
import {
  CLOCK_SKEW_SECONDS,
  COORDINATOR_ISSUER,
  GATEWAY_AUDIENCE,
  LIFETIME_PROBLEM_TEXT,
  NODE_CLIENT_TOKEN_MAX_LIFETIME_SECONDS,
  SIGNING_ALGORITHM,
  isDevIssuer,
  lifetimeProblem,
  localKeySet,
} from "@brandpool/tokens";
import type { ForwardedCaller, JwkSet } from "@brandpool/tokens";
import type { BrandRoute } from "../routing/routing-table.js";
import type { VerifiedTokens } from "./verified-tokens.js";

/** Who called, as the gateway forwards it and as Cedar sees it. */
export interface GatewayCaller {
  forwarded: ForwardedCaller;
  principal: Principal;
}

export interface CallerVerifierOptions {
  route(brandId: string): Promise<BrandRoute | undefined>;
  platformIssuer: string;
  platformKeys: JwkSet;
  /** The coordinator's client keys; null: no coordinator tokens. */
  coordinatorKeys?: JwkSet | null;
  dev: boolean;
  /** Longest `exp - iat` of a caller's token, in seconds (node client tokens: 300 at most). */
  maxLifetimeSeconds: number;
  /** Tokens whose signatures already checked out (shared by the process's requests); none: verify every time. */
  verified?: VerifiedTokens;
}

const BRAND_ROLES = new Set(["analyst", "approver", "admin", "auditor"]);
const PLATFORM_ROLES = new Set(["auditor", "platform-admin"]);

function refuse(reason: string): never {
  throw new AppError("UNAUTHENTICATED", `The token was refused: ${reason}.`);
}

/**
 * Verifies a caller's JWT. The issuer must be the one registered for the brand the token claims
 * (the platform issuer for platform principals, the node's own key for `node:<id>`); a token
 * without a brand claim must come from the platform issuer, and a brand's issuer may not be the
 * platform's. The algorithm is pinned; audience, subject, token id, `iat` and `exp` are required;
 * `exp - iat` is at most the configured lifetime (5 minutes for a node), and `iat` is not in the
 * future beyond the clock skew (`CLOCK_SKEW_SECONDS`).
 */
export function callerVerifier(options: CallerVerifierOptions) {
  return async function verifyCaller(token: string): Promise<GatewayCaller> {
    let header: jose.ProtectedHeaderParameters;
    let claims: jose.JWTPayload;
    try {
      header = jose.decodeProtectedHeader(token);
      claims = jose.decodeJwt(token);
    } catch {
      refuse("it is not a JWT");
    }
    if (header.alg !== SIGNING_ALGORITHM) refuse(`algorithm ${String(header.alg)} is not accepted`);
    const issuer = claims.iss;
    if (typeof issuer !== "string") refuse("it names no issuer");
    if (isDevIssuer(issuer) && !options.dev) refuse("the development issuer is off");

    const verify = async (keys: JwkSet["keys"], expectedIssuer: string, maxLifetimeSeconds = options.maxLifetimeSeconds) => {
      const keysText = options.verified ? JSON.stringify(keys) : "";
      const known = options.verified?.get(token, keysText, expectedIssuer);
      if (known) {
        // The signature checked out under these very keys; the times are checked again below.
        const problem = lifetimeProblem(known, { maxLifetimeSeconds });
        if (problem === "expired") options.verified?.delete(token);
        if (problem) refuse(LIFETIME_PROBLEM_TEXT[problem]);
        return known;
      }
      let payload: jose.JWTPayload & { sub: string; jti: string };
      try {
        ({ payload } = (await jose.jwtVerify(token, localKeySet(keys), {
          algorithms: [SIGNING_ALGORITHM],
          issuer: expectedIssuer,
          audience: GATEWAY_AUDIENCE,
          requiredClaims: ["exp", "sub", "jti"],
          clockTolerance: CLOCK_SKEW_SECONDS,
        })) as { payload: jose.JWTPayload & { sub: string; jti: string } });
      } catch (error) {
        if (error instanceof jose.errors.JWTExpired) refuse("it has expired");
        refuse("its signature or claims do not check out");
      }
      // Checked after the signature, so the reason given is about a token its issuer really signed.
      const problem = lifetimeProblem(payload, { maxLifetimeSeconds });
      if (problem) refuse(LIFETIME_PROBLEM_TEXT[problem]);
      options.verified?.set(token, keysText, expectedIssuer, payload);
      return payload;
    };

    if (issuer === COORDINATOR_ISSUER) {
      if (!options.coordinatorKeys) refuse("coordinator tokens are not accepted here");
      const payload = await verify(options.coordinatorKeys.keys, issuer, Math.min(NODE_CLIENT_TOKEN_MAX_LIFETIME_SECONDS, options.maxLifetimeSeconds));
      if (payload.sub !== issuer || claims.brand !== undefined) refuse("a coordinator token's subject must be the coordinator, with no brand");
      return { forwarded: { kind: "coordinator", subject: "coordinator", tokenId: payload.jti }, principal: { kind: "coordinator" } };
    }

    if (issuer.startsWith("node:")) {
      const brandId = issuer.slice("node:".length);
      const route = await options.route(brandId);
      if (!route) refuse("no such node");
      const payload = await verify([route.nodeKey], issuer, Math.min(NODE_CLIENT_TOKEN_MAX_LIFETIME_SECONDS, options.maxLifetimeSeconds));
      if (payload.sub !== issuer) refuse("a node token's subject must be the node");
      return {
        forwarded: { kind: "node", subject: issuer, brand: brandId, tokenId: payload.jti },
        principal: { kind: "node", brand: { id: brandId, admitted: route.admitted } },
      };
    }

    const claimedBrand = claims.brand;
    if (claimedBrand === undefined) {
      // A brand's issuer signing a token without its brand claim does not make a platform principal.
      if (issuer !== options.platformIssuer) refuse("a token without a brand claim must come from the platform issuer");
      const payload = await verify(options.platformKeys.keys, options.platformIssuer);
      const role = payload.role;
      if (!isRole(role) || !PLATFORM_ROLES.has(role)) refuse("a platform token must have role auditor or platform-admin");
      return {
        forwarded: { kind: "user", subject: payload.sub, brand: null, role, tokenId: payload.jti },
        principal: { kind: "user", subject: payload.sub, role, brand: null },
      };
    }

    if (typeof claimedBrand !== "string") refuse("the brand claim is not a string");
    const route = await options.route(claimedBrand);
    if (!route) refuse("the brand is not registered");
    if (route.issuer !== issuer) refuse("the issuer is not the one registered for this brand");
    if (route.issuer === options.platformIssuer) refuse("a brand's issuer may not be the platform issuer");
    const payload = await verify(route.issuerKeys.keys, route.issuer);
    const role = payload.role;
    if (!isRole(role) || !BRAND_ROLES.has(role)) refuse("the role is not a brand role");
    return {
      forwarded: { kind: "user", subject: payload.sub, brand: claimedBrand, role, tokenId: payload.jti },
      principal: { kind: "user", subject: payload.sub, role, brand: { id: claimedBrand, admitted: route.admitted } },
    };
  };
}
