import type { GraphQLFormattedError } from "graphql";
import { FIXED_MESSAGES, isErrorCode } from "@brandpool/errors";

const REQUEST_CODES = new Set(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "BAD_REQUEST", "OPERATION_RESOLUTION_FAILURE"]);

/**
 * The gateway's one error mapping. Our codes pass (their messages were already cleaned per
 * origin by the data sources); operation limits become LIMIT_EXCEEDED; request errors BAD_INPUT;
 * anything else INTERNAL with the fixed text. Only `code` (and `details`) survive in extensions.
 */
export function formatGatewayError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const base = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  const code = formatted.extensions?.code;
  if (/^Syntax Error: .*(limit|exceeded)/i.test(formatted.message) || /batching/i.test(formatted.message)) {
    return { ...base, message: formatted.message.replace(/^Syntax Error: /, ""), extensions: { code: "LIMIT_EXCEEDED" } };
  }
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
