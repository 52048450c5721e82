import { AppError } from "@brandpool/errors";
import { z } from "zod";

/**
 * The adapters' options, checked when an adapter is created: the node's `config.ts` will fill
 * them from its environment, and a wrong value must stop the start, not the first send.
 */
const TimeoutSchema = z.number().int().min(1).max(600_000);

export const SmtpEmailAdapterOptionsSchema = z.strictObject({
  url: z.string().regex(/^smtps?:\/\//).pipe(z.url()),
  from: z.email(),
  messageIdDomain: z.hostname().optional(),
  unsubscribeUrl: z.url({ protocol: /^https?$/ }),
  unsubscribeMailto: z.email().optional(),
  maxConnections: z.number().int().min(1).max(100).optional(),
  connectTimeoutMs: TimeoutSchema.optional(),
  socketTimeoutMs: TimeoutSchema.optional(),
});

export const HttpSmsAdapterOptionsSchema = z.strictObject({
  webhookUrl: z.url({ protocol: /^https?$/ }),
  authorization: z.string().min(1).max(4_096).regex(/^[\x21-\x7e][\x20-\x7e]*$/).optional(),
  timeoutMs: TimeoutSchema.optional(),
  concurrency: z.number().int().min(1).max(1_000).optional(),
});

export const CsvMailExportAdapterOptionsSchema = z.strictObject({
  dir: z.string().min(1),
});

/** Parses adapter options, or throws `BAD_INPUT` naming the options (never their values: a URL may hold a password). */
export function parseAdapterOptions<S extends z.ZodType>(schema: S, options: unknown): z.infer<S> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), code: issue.code }));
  throw new AppError("BAD_INPUT", "The channel adapter's options are not valid.", { issues });
}
