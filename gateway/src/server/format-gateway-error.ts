import type { GraphQLFormattedError } from "graphql";
import { FIXED_MESSAGES, isErrorCode } from "@brandpool/errors";

const REQUEST_CODES = new Set(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "BAD_REQUEST", "OPERATION_RESOLUTION_FAILURE"]);

// graphql-armor's rejections, exactly: a looser pattern would let an ordinary syntax or
// validation error that quotes the caller's text ("limit", "batching") pass for a limit.
const ARMOR_LIMIT = /^Syntax Error: ((?:Query depth|Aliases|Directives|Query Cost) limit of \d+ exceeded, found [\d.]+\.)$/;
// graphql-js's parser with `maxTokens` ("more that" is graphql-js's own spelling).
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] (\d+) tokens\. Parsing aborted\.$/;
const BATCHING_DISABLED = "Operation batching disabled.";

/** The message of an operation-limit rejection, or undefined for any other error. */
function limitMessage(formatted: GraphQLFormattedError): string | undefined {
  const code = formatted.extensions?.code;
  const armor = ARMOR_LIMIT.exec(formatted.message);
  if (armor?.[1]) return armor[1];
  const tokens = code === "GRAPHQL_PARSE_FAILED" ? TOKEN_LIMIT.exec(formatted.message) : null;
  if (tokens?.[1]) return `Token limit of ${tokens[1]} exceeded.`;
  if (code === "BAD_REQUEST" && formatted.message === BATCHING_DISABLED) return "Batched requests are not accepted: send one operation per request.";
  return undefined;
}

/**
 * The gateway's one error mapping. Our codes pass (their messages were already cleaned per
 * origin by the data sources); operation limits become LIMIT_EXCEEDED; request errors BAD_INPUT;
 * anything else INTERNAL with the fixed text. Only `code` (and `details`) survive in extensions.
 */
export function formatGatewayError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const base = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  const code = formatted.extensions?.code;
  const limit = limitMessage(formatted);
  if (limit) return { ...base, message: limit, extensions: { code: "LIMIT_EXCEEDED" } };
  if (isErrorCode(code)) {
    const details = formatted.extensions?.details;
    return {
      ...base,
      message: code === "INTERNAL" ? FIXED_MESSAGES.INTERNAL : formatted.message,
      extensions: { code, ...(details && code !== "INTERNAL" ? { details } : {}) },
    };
  }
  if (typeof code === "string" && REQUEST_CODES.has(code)) return { ...base, message: formatted.message, extensions: { code: "BAD_INPUT" } };
  return { ...base, message: FIXED_MESSAGES.INTERNAL, extensions: { code: "INTERNAL" } };
}
