/**
 * The one error type of brandpool. Services throw `AppError`; each server maps it once, in its
 * `formatError`, to GraphQL `extensions.code` (and, at the gateway, an HTTP status).
 */
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_EXPRESSION",
  "UNKNOWN_TAG",
  "SENSITIVE_TAG",
  "BAD_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "LIMIT_EXCEEDED",
  "BUDGET_EXHAUSTED",
  "RATE_LIMITED",
  "UNAVAILABLE",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status that goes with each code, where a transport needs one. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_EXPRESSION: 400,
  UNKNOWN_TAG: 400,
  SENSITIVE_TAG: 400,
  BAD_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 429,
  BUDGET_EXHAUSTED: 429,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
});

/**
 * The fixed text of each code. Nodes use `INTERNAL`'s for every unexpected error; the gateway
 * replaces the message of any error coming from another brand's node with its code's text.
 */
export const FIXED_MESSAGES: Readonly<Record<ErrorCode, string>> = Object.freeze({
  UNAUTHENTICATED: "Authentication is required.",
  FORBIDDEN: "You are not allowed to do this.",
  BAD_EXPRESSION: "The tag expression is not valid.",
  UNKNOWN_TAG: "The tag expression names a tag that is not in the taxonomy.",
  SENSITIVE_TAG: "The tag expression names a sensitive tag.",
  BAD_INPUT: "The input is not valid.",
  NOT_FOUND: "Not found.",
  CONFLICT: "The request conflicts with the current state.",
  LIMIT_EXCEEDED: "A limit was exceeded.",
  BUDGET_EXHAUSTED: "The privacy budget for this question is exhausted.",
  RATE_LIMITED: "Too many requests. Try again shortly.",
  UNAVAILABLE: "A service is unavailable. Try again later.",
  INTERNAL: "Internal error.",
});

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

/** Structured, user-safe facts about an error (a position, a row list); never personal data. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string = FIXED_MESSAGES[code], details?: ErrorDetails) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
