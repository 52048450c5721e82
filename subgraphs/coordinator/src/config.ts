import { z } from "zod";
import { PrivateJwkSchema, PublicJwkSchema } from "@brandpool/tokens";

const json = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: "custom", message: "is not valid JSON" });
    return z.NEVER;
  }
});

const CoordinatorEnvSchema = z.object({
  /** The coordinator's own database (registry, taxonomy, platform audit log). */
  DATABASE_URL: z.string().url(),
  /** Port on HOST (default 4100). */
  PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  HOST: z.string().default("127.0.0.1"),
  /** Public keys of the gateways the coordinator trusts (JSON array of Ed25519 JWKs). */
  GATEWAY_KEYS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "is not valid JSON" });
        return z.NEVER;
      }
    })
    .pipe(z.array(PublicJwkSchema).min(1)),
  /** The gateway's public URL: the coordinator asks target nodes through it (coupon redemptions). */
  GATEWAY_URL: z.string().url().optional(),
  /** The coordinator's own client key (Ed25519 JWK), registered at the gateway as `coordinator`. */
  COORDINATOR_CLIENT_KEY: json.pipe(PrivateJwkSchema).optional(),
  /** redeemCoupon attempts a minute per principal (default 30). */
  REDEEM_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
});

export type CoordinatorConfig = Readonly<z.infer<typeof CoordinatorEnvSchema>>;

/** Parses the environment once at start-up; names the variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CoordinatorConfig {
  const parsed = CoordinatorEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid coordinator configuration:\n${lines.join("\n")}`);
  }
  return Object.freeze(parsed.data);
}
