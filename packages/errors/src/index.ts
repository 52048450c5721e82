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
  "INVALID_POLICY",
  "NOT_FOUND",
  "CONFLICT",
  "LIMIT_EXCEEDED",
  "PAYLOAD_TOO_LARGE",
  "PERSISTED_QUERY_NOT_FOUND",
  "BUDGET_EXHAUSTED",
  "RATE_LIMITED",
  "UNAVAILABLE",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * HTTP status that goes with each code, one per code, where a transport needs one: the status of
 * a request refused as a whole (before anything runs). `LIMIT_EXCEEDED` is the operation's shape
 * (depth, aliases, cost, tokens, batch, row and page counts); a body over the size limit is
 * `PAYLOAD_TOO_LARGE`; 429 is for rates alone. `PERSISTED_QUERY_NOT_FOUND` is 200, as Apollo's
 * automatic persisted queries protocol answers it, so that clients retry with the full query.
 */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_EXPRESSION: 400,
  UNKNOWN_TAG: 400,
  SENSITIVE_TAG: 400,
  BAD_INPUT: 400,
  INVALID_POLICY: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 400,
  PAYLOAD_TOO_LARGE: 413,
  PERSISTED_QUERY_NOT_FOUND: 200,
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
  INVALID_POLICY: "The policy set does not validate against the sharing rules' Cedar schema.",
  NOT_FOUND: "Not found.",
  CONFLICT: "The request conflicts with the current state.",
  LIMIT_EXCEEDED: "A limit was exceeded.",
  PAYLOAD_TOO_LARGE: "The request body is too large.",
  // Apollo's clients recognise this exact text as well as the code.
  PERSISTED_QUERY_NOT_FOUND: "PersistedQueryNotFound",
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
