import { z } from "zod";
import { PrivateJwkSchema, PublicJwkSchema } from "@brandpool/tokens";

const jsonOf = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "is not valid JSON" });
      return z.NEVER;
    }
  }).pipe(schema);

const BrandNodeEnvSchema = z.object({
  /** Id of the brand this node serves, as registered at the coordinator. */
  BRAND_ID: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/),
  /** This node's own database. */
  DATABASE_URL: z.string().url(),
  /** Port on 127.0.0.1 (default 4101). */
  PORT: z.coerce.number().int().min(0).max(65535).default(4101),
  HOST: z.string().default("127.0.0.1"),
  /** Secret keying the privacy layer's noise (HMAC-SHA256); at least 32 characters. */
  NODE_SECRET: z.string().min(32),
  /** Public keys of the gateways this node trusts (JSON array of Ed25519 JWKs). */
  GATEWAY_KEYS: jsonOf(z.array(PublicJwkSchema).min(1)),
  /** This node's private key (Ed25519 JWK), for calling the gateway as `node:<brandId>`. */
  NODE_KEY: jsonOf(PrivateJwkSchema),
  /** The gateway's GraphQL URL, for pulling the taxonomy and registry as a client. */
  GATEWAY_URL: z.string().url(),
  /** IANA time zone of the brand; months of the privacy layer follow it (default Asia/Shanghai). */
  TIME_ZONE: z.string().default("Asia/Shanghai"),
  /** The k threshold on noisy counts (default 50, never below 20). */
  K_THRESHOLD: z.coerce.number().int().min(20).default(50),
  /** Epsilon spent by each new question (decimal string, default 0.1). */
  EPSILON: z.string().regex(/^\d+(\.\d{1,6})?$/).default("0.1"),
  /**
   * `standard` (default): DESIGN.md's budgets (quota 10 per partner a month, up to 20; pool cap 50).
   * `bench`: unlimited budgets for the benchmark; refused with NODE_ENV=production.
   */
  PRIVACY_PROFILE: z.enum(["standard", "bench"]).default("standard"),
  /** Estimate operations a second per principal (default 10); over it, RATE_LIMITED. */
  ESTIMATE_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  /** Estimate operations a second per requester brand, all its people together (default 30). */
  ESTIMATE_BRAND_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  /** Gateway denial reports a minute recorded per principal (default 10); the rest are dropped. */
  DENIAL_REPORT_LIMIT: z.coerce.number().int().min(1).default(10),
  /** Seconds between pushes of the coordinator outbox (default 2); a write also pushes soon after. */
  OUTBOX_PUSH_SECONDS: z.coerce.number().int().min(1).max(300).default(2),
  /** Seconds between syncs of the pool view: taxonomy and registry (default 15). */
  POOL_SYNC_SECONDS: z.coerce.number().int().min(1).max(3_600).default(15),
  /** Seconds between pulls of this node's outreach inbox at the coordinator (default 2). */
  OUTREACH_PULL_SECONDS: z.coerce.number().int().min(1).max(300).default(2),
  /**
   * Domains that links in an outreach message this owner approves may point to, comma-separated
   * (`paipai.example,teabar.example`; a domain also allows its subdomains). Default none: a
   * message with any link is refused at approval. The owner's sharing rules (Cedar `LinkTo`)
   * decide first: this list judges only a domain that no rule permits or forbids.
   */
  OUTREACH_LINK_DOMAINS: z
    .string()
    .default("")
    .transform((text) => text.split(",").map((domain) => domain.trim().toLowerCase().replace(/\.$/, "")).filter((domain) => domain !== ""))
    .pipe(z.array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, "is not a domain name"))),
  /** Seconds between runs of the job that expires PENDING requests past their expiry (default 30). */
  OUTREACH_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  /** The brand approver's address: told of each new request and of one about to expire. Unset: nobody is told. */
  APPROVER_EMAIL: z.string().email().optional(),
  /** SMTP server for those notices (`smtp://host:587`); required with APPROVER_EMAIL. */
  NOTIFY_SMTP_URL: z.string().url().optional(),
  /** The notices' `From` address (default `brandpool@<brand>.invalid`). */
  NOTIFY_FROM: z.string().email().optional(),
  /** A pending request this many hours or less from its expiry is announced once more (default 24). */
  EXPIRY_NOTICE_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Seconds between runs of the approver-notice job (default 10). */
  NOTIFY_SECONDS: z.coerce.number().int().min(1).max(3_600).default(10),
  /** Seconds between looks for outreach results due a release (sending ended, or a day since the last). */
  OUTREACH_RESULTS_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  /** Seconds between pushes of this node's signed audit chain head to the coordinator (default 5); an append also pushes soon after. */
  AUDIT_HEAD_SECONDS: z.coerce.number().int().min(1).max(3_600).default(5),
  /**
   * The node's own base URL as recipients reach it (the email unsubscribe link); default
   * `http://<HOST>:<PORT>`.
   */
  PUBLIC_URL: z.string().url().optional(),
  /** The owner's mail server for EMAIL outreach (`smtp://user:pass@host:587`); unset, EMAIL requests wait APPROVED. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//).optional(),
  /** The `From` address of outreach email (required with SMTP_URL). */
  SMTP_FROM: z.string().email().optional(),
  /**
   * Pooled SMTP connections (default 20), shared by the send workers: also the most messages that
   * can be AMBIGUOUS (never re-sent) after a crash.
   */
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(20),
  /** The owner's SMS provider webhook (POST `{ to, text }` with Idempotency-Key); unset, SMS requests wait APPROVED. */
  SMS_WEBHOOK_URL: z.string().url().optional(),
  /** Sent as `Authorization` to the SMS webhook when set. */
  SMS_WEBHOOK_AUTHORIZATION: z.string().min(1).optional(),
  /** SMS requests in flight at once (default 64). */
  SMS_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(64),
  /**
   * Shared secret the SMS provider sends as `X-Sms-Webhook-Secret` when it posts replies ("T",
   * "STOP") to `/sms/replies`; at least 16 characters. Unset, the route answers 404.
   */
  SMS_REPLY_SECRET: z.string().min(16).optional(),
  /** Folder of the MAIL channel's CSV exports (created 0700), e.g. `.data/mail-exports/<brand>`; unset, MAIL requests wait APPROVED. */
  MAIL_EXPORT_DIR: z.string().min(1).optional(),
  /**
   * The largest mail export `outreachMailExport` answers in one piece (default 8 MiB, at most
   * 64 MiB); a larger one is LIMIT_EXCEEDED, never cut.
   */
  MAIL_EXPORT_MAX_BYTES: z.coerce.number().int().min(1_024).max(64 * 1024 * 1024).default(8 * 1024 * 1024),
  /** Country (ISO 3166 alpha-2) of the MAIL channel's export rows (default CN). */
  MAIL_COUNTRY: z.string().regex(/^[A-Z]{2}$/).default("CN"),
  /**
   * No sending during these local hours of TIME_ZONE, `HH:MM-HH:MM` (default `21:00-09:00`), or
   * `none` (the demo of `npm start`; refused with NODE_ENV=production).
   */
  QUIET_HOURS: z.string().regex(/^(none|([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9])$/).default("21:00-09:00"),
  /** Partner messages a member may get within FREQUENCY_WINDOW_DAYS (default 2). */
  FREQUENCY_CAP: z.coerce.number().int().min(1).max(100).default(2),
  FREQUENCY_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Messages per send job (default 500). */
  SEND_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Seconds between looks for approved requests whose send time has come (default 2). */
  SEND_POLL_SECONDS: z.coerce.number().int().min(1).max(300).default(2),
  /** Send jobs one node runs at once (default 2). */
  SEND_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  /** Attempts per message, the first included (default 5), and the backoff before the second (30 s, doubling). */
  SEND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  SEND_RETRY_BASE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /**
   * The owner's minimum outreach audience until its admins set one (`setMinimumOutreachAudience`):
   * default 1,000, never below 100.
   */
  MIN_OUTREACH_AUDIENCE: z.coerce.number().int().min(100).max(100_000_000).default(1_000),
  /**
   * `on` (default): every new request's noisy audience is asked of the ledger (charged to the
   * requester) and one below the minimum declined. `off`: not asked (tests of other features whose
   * fixtures are smaller than any minimum); refused with NODE_ENV=production.
   */
  MINIMUM_AUDIENCE_CHECK: z.enum(["on", "off"]).default("on"),
  /**
   * How the node counts audiences (estimates, the ledger, the owner's totalCount): `index`
   * (default), the in-memory bitmaps of src/audience-index/, loaded at start (SQL until then);
   * `sql`, Postgres count(*) over the GIN index (the bench's baseline).
   */
  AUDIENCE_COUNTER: z.enum(["index", "sql"]).default("index"),
  /** Seconds between prunes of the audience index's change log (default 30). */
  AUDIENCE_PRUNE_SECONDS: z.coerce.number().int().min(1).default(30),
  /**
   * Automatic declines (the rules', the minimum audience's) reach the requester after a log-normal
   * delay like a person's response: median seconds (default 4 hours) and sigma (default 1).
   */
  AUTO_DECLINE_MEDIAN_SECONDS: z.coerce.number().min(0).max(30 * 86_400).default(4 * 3_600),
  AUTO_DECLINE_SIGMA: z.coerce.number().min(0).max(3).default(1),
  /** Seconds between runs of the job that releases automatic declines whose time has come (default 30). */
  AUTO_DECLINE_RELEASE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  /**
   * `1`: each /graphql answer carries a W3C `Server-Timing` header with the request's stages
   * (token, cedar, ledger, count, total), for the benchmark. Default `0`: the durations are a
   * timing side channel (a count's time grows with the members it matched); refused with
   * NODE_ENV=production.
   */
  SERVER_TIMING: z.enum(["0", "1"]).default("0"),
  NODE_ENV: z.string().optional(),
});

export type BrandNodeConfig = Readonly<z.infer<typeof BrandNodeEnvSchema>>;

/** Parses the environment once at start-up; names the variable that is wrong and exits. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BrandNodeConfig {
  const parsed = BrandNodeEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid brand node configuration:\n${lines.join("\n")}`);
  }
  if (parsed.data.MINIMUM_AUDIENCE_CHECK === "off" && parsed.data.NODE_ENV === "production") {
    throw new Error("Invalid brand node configuration:\n  MINIMUM_AUDIENCE_CHECK: `off` is refused when NODE_ENV=production");
  }
  if (parsed.data.PRIVACY_PROFILE === "bench" && parsed.data.NODE_ENV === "production") {
    throw new Error("Invalid brand node configuration:\n  PRIVACY_PROFILE: the bench profile (unlimited budgets) is refused when NODE_ENV=production");
  }
  if (parsed.data.SERVER_TIMING === "1" && parsed.data.NODE_ENV === "production") {
    throw new Error("Invalid brand node configuration:\n  SERVER_TIMING: `1` (stage timings in every answer, a timing side channel) is refused when NODE_ENV=production");
  }
  if (parsed.data.APPROVER_EMAIL && !parsed.data.NOTIFY_SMTP_URL) {
    throw new Error("Invalid brand node configuration:\n  NOTIFY_SMTP_URL: required when APPROVER_EMAIL is set");
  }
  if (parsed.data.QUIET_HOURS === "none" && parsed.data.NODE_ENV === "production") {
    throw new Error("Invalid brand node configuration:\n  QUIET_HOURS: `none` (the demo's) is refused when NODE_ENV=production");
  }
  if (parsed.data.SMTP_URL && !parsed.data.SMTP_FROM) {
    throw new Error("Invalid brand node configuration:\n  SMTP_FROM: required with SMTP_URL");
  }
  try {
    new Intl.DateTimeFormat("en", { timeZone: parsed.data.TIME_ZONE });
  } catch {
    throw new Error(`Invalid brand node configuration:\n  TIME_ZONE: unknown time zone`);
  }
  return Object.freeze(parsed.data);
}
