import { AppError } from "@brandpool/errors";
import type { z } from "zod";

/**
 * The typed error of a message the adapter will not send. It names the fields and the rules
 * they broke, never their values: a message holds an address or a phone number.
 */
export function invalidMessage(error: z.ZodError): AppError {
  const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join("."), code: issue.code }));
  return new AppError("BAD_INPUT", "The outbound message is not valid.", { issues });
}

export function adapterClosed(): AppError {
  return new AppError("UNAVAILABLE", "The channel adapter is closed.");
}

/** Parses with `schema`, or throws {@link invalidMessage}. */
export function parseMessage<S extends z.ZodType>(schema: S, message: unknown): z.infer<S> {
  const parsed = schema.safeParse(message);
  if (!parsed.success) throw invalidMessage(parsed.error);
  return parsed.data;
}

/** A batch that names one key twice would send one message twice. */
export function duplicateKey(): AppError {
  return new AppError("BAD_INPUT", "The batch holds two messages with one key.", { issues: [{ path: "key", code: "duplicate" }] });
}

/** Another attempt of this key is still running: the adapter never runs two at once. */
export function attemptInFlight(): AppError {
  return new AppError("CONFLICT", "An attempt of this message is still running.");
}

/** Parses every message of a batch, or throws for the first invalid one (and sends nothing). */
export function parseBatch<S extends z.ZodType<{ key: string }>>(schema: S, messages: readonly unknown[]): z.infer<S>[] {
  const parsed = messages.map((message) => parseMessage(schema, message));
  if (new Set(parsed.map((message) => message.key)).size !== parsed.length) throw duplicateKey();
  return parsed;
}
