import { z } from "zod";

const StartEnvSchema = z.object({
  /** Superuser URL of a PostgreSQL server; unset, `npm start` runs an embedded one under .data/. */
  DATABASE_URL: z.string().url().optional(),
  /** Port of the gateway (default 4000); the coordinator takes PORT+100, the nodes PORT+101... */
  PORT: z.coerce.number().int().min(1).max(65_000).default(4000),
  /** Port of the embedded PostgreSQL (default 54329, never 5432). */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65_535).default(54_329),
  /** Synthetic members loaded into each demo brand on the first start (default 20,000). */
  DEMO_MEMBERS: z.coerce.number().int().min(0).max(1_000_000).default(20_000),
  /** `1` prints every service's log lines. */
  BRANDPOOL_LOG: z.enum(["0", "1"]).default("0"),
  NODE_ENV: z.string().optional(),
});

export type StartConfig = Readonly<z.infer<typeof StartEnvSchema>>;

/** `npm start`'s settings, parsed once; a wrong variable is named and the start refused. */
export function loadStartConfig(env: NodeJS.ProcessEnv = process.env): StartConfig {
  const parsed = StartEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid npm start settings:\n${lines.join("\n")}`);
  }
  if (parsed.data.NODE_ENV === "production") {
    throw new Error("npm start runs the demo (development issuer, demo brands); it refuses NODE_ENV=production.");
  }
  return Object.freeze(parsed.data);
}
