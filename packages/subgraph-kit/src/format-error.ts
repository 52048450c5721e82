import { GraphQLError } from "graphql";
import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { AppError, ERROR_STATUS, FIXED_MESSAGES, isErrorCode } from "@brandpool/errors";

/** Codes Apollo Server itself uses for request-level problems, mapped to ours. */
const APOLLO_CODES: Record<string, keyof typeof ERROR_STATUS> = {
  GRAPHQL_PARSE_FAILED: "BAD_INPUT",
  GRAPHQL_VALIDATION_FAILED: "BAD_INPUT",
  BAD_USER_INPUT: "BAD_INPUT",
  BAD_REQUEST: "BAD_INPUT",
  PERSISTED_QUERY_NOT_FOUND: "BAD_INPUT",
  PERSISTED_QUERY_NOT_SUPPORTED: "BAD_INPUT",
  OPERATION_RESOLUTION_FAILURE: "BAD_INPUT",
};

export type UnexpectedErrorReporter = (error: unknown) => void;

/**
 * The one place where errors become GraphQL errors. An `AppError` keeps its code, message and
 * details; Apollo's own request errors keep their (schema-only) message under our code; anything
 * else becomes `INTERNAL` with a fixed message, so no SQL, value or stack trace ever leaves.
 */
export function createFormatError(report: UnexpectedErrorReporter) {
  return function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const original = unwrapResolverError(error);
    const base = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
    if (original instanceof AppError) {
      return {
        ...base,
        message: original.message,
        extensions: { code: original.code, ...(original.details ? { details: original.details } : {}) },
      };
    }
    const apolloCode = formatted.extensions?.code;
    if (original instanceof GraphQLError && typeof apolloCode === "string") {
      const mapped = APOLLO_CODES[apolloCode] ?? (isErrorCode(apolloCode) ? apolloCode : undefined);
      if (mapped) return { ...base, message: formatted.message, extensions: { code: mapped } };
    }
    report(original);
    return { ...base, message: FIXED_MESSAGES.INTERNAL, extensions: { code: "INTERNAL" } };
  };
}

/** Logs the kind of an unexpected error, never its message (it may quote values or SQL). */
export function reportUnexpectedError(service: string): UnexpectedErrorReporter {
  return (error) => {
    const name = error instanceof Error ? error.name : typeof error;
    // drizzle wraps driver errors ("Failed query"); the SQLSTATE is on the cause.
    const cause = error instanceof Error && error.cause ? error.cause : error;
    const sqlState = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : "-";
    // The innermost frame says where, without any value (frames hold only names and positions).
    const frame = error instanceof Error ? error.stack?.split("\n").find((line) => line.trim().startsWith("at "))?.trim() : undefined;
    process.stderr.write(`[${service}] unexpected error: ${name} (code ${sqlState}) ${frame ?? ""}\n`);
  };
}
