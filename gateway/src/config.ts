import { z } from "zod";
import {
  CALLER_TOKEN_LIFETIME_CEILING_SECONDS,
  DEFAULT_CALLER_TOKEN_MAX_LIFETIME_SECONDS,
  JwkSetSchema,
  PrivateJwkSchema,
} from "@brandpool/tokens";

const json = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: "custom", message: "is not valid JSON" });
    return z.NEVER;
  }
});

const GatewayEnvSchema = z.object({
  /** Port of the public endpoint (default 4000). */
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default("127.0.0.1"),
  /** The coordinator's GraphQL URL; every node URL comes from its registry. */
  COORDINATOR_URL: z.string().url(),
  /** The gateway's Ed25519 private key (JWK) for the per-fetch tokens; nodes trust its public half. */
  GATEWAY_KEY: json.pipe(PrivateJwkSchema),
  /** Issuer (`iss`) of platform admins' and platform auditors' tokens, and its keys (JWK set). */
  PLATFORM_ISSUER: z.string().min(1),
  PLATFORM_KEYS: json.pipe(JwkSetSchema),
  /**
   * The coordinator's client keys (JWK set): it calls the gateway as principal `coordinator` to
   * ask a request's target nodes about a coupon. Unset: coordinator tokens are refused.
   */
  COORDINATOR_CLIENT_KEYS: json.pipe(JwkSetSchema).optional(),
  /**
   * Longest lifetime of a caller's token (`exp - iat`), in seconds: default 3600 (one hour), at
   * most 86400 (24 hours). A longer-lived token is refused, however far its expiry still is.
   * Node client tokens (`node:<brandId>`) live at most 300 seconds whatever this says.
   */
  CALLER_TOKEN_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(CALLER_TOKEN_LIFETIME_CEILING_SECONDS)
    .default(DEFAULT_CALLER_TOKEN_MAX_LIFETIME_SECONDS),
  /** `1` accepts tokens of the development issuers. Refused with NODE_ENV=production. */
  BRANDPOOL_DEV: z.enum(["0", "1"]).default("0"),
  NODE_ENV: z.string().optional(),
  /**
   * `1` answers every GraphQL request with a `Server-Timing` header: the gateway's stages (jwt,
   * cedar, plan, mint, fetch, total) and the nodes' own (`node-<stage>`). Default `0`. Refused
   * with NODE_ENV=production: how long a node took says something about what it did.
   */
  SERVER_TIMING: z.enum(["0", "1"]).default("0"),
  /** How long the routing table is cached, in ms (default 5000). */
  ROUTING_TTL_MS: z.coerce.number().int().min(0).default(5_000),
  /**
   * While the coordinator cannot be read, how long the last routing table read keeps serving, in
   * ms from that read (default 600000, 10 minutes; at least ROUTING_TTL_MS). Within it brand
   * callers and nodes are still verified and routed; past it they get UNAVAILABLE, since an older
   * table may still trust a suspended brand or a revoked key.
   */
  ROUTING_MAX_STALE_MS: z.coerce.number().int().min(0).default(600_000),
  /** Largest request body, in bytes (default 100 kB). */
  MAX_BODY_BYTES: z.coerce.number().int().min(1_024).default(100_000),
  /** Folder of the admin UI's static build, served at /admin (default: the repository's `admin/dist`). */
  ADMIN_DIR: z.string().optional(),
  /**
   * The development issuers' private keys (`{ platform?: JWK, brands: { <brandId>: JWK } }`), so
   * the admin UI's identity picker can sign in as a demo identity (`POST /dev/token`). Accepted
   * only with BRANDPOOL_DEV=1; unset, the picker is not offered.
   */
  DEV_ISSUER_KEYS: json.pipe(z.object({ platform: PrivateJwkSchema.optional(), brands: z.record(z.string(), PrivateJwkSchema) })).optional(),
});

export type GatewayConfig = Readonly<z.infer<typeof GatewayEnvSchema> & { dev: boolean; serverTiming: boolean }>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = GatewayEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid gateway configuration:\n${lines.join("\n")}`);
  }
  if (parsed.data.ROUTING_MAX_STALE_MS < parsed.data.ROUTING_TTL_MS) {
    throw new Error("Invalid gateway configuration:\n  ROUTING_MAX_STALE_MS: must be at least ROUTING_TTL_MS");
  }
  const dev = parsed.data.BRANDPOOL_DEV === "1";
  if (dev && parsed.data.NODE_ENV === "production") {
    throw new Error("Invalid gateway configuration:\n  BRANDPOOL_DEV: the development issuer is refused when NODE_ENV=production");
  }
  if (parsed.data.DEV_ISSUER_KEYS && !dev) {
    throw new Error("Invalid gateway configuration:\n  DEV_ISSUER_KEYS: the development issuers' keys are accepted only with BRANDPOOL_DEV=1");
  }
  const serverTiming = parsed.data.SERVER_TIMING === "1";
  if (serverTiming && parsed.data.NODE_ENV === "production") {
    throw new Error("Invalid gateway configuration:\n  SERVER_TIMING: Server-Timing is refused when NODE_ENV=production");
  }
  return Object.freeze({ ...parsed.data, dev, serverTiming });
}
