import { FIXED_MESSAGES } from "@brandpool/errors";
import { describe, expect, it } from "vitest";
import { formatGatewayError } from "./format-gateway-error.js";

describe("the gateway's error mapping", () => {
  it("turns graphql-armor's depth, alias, directive and cost rejections into LIMIT_EXCEEDED", () => {
    for (const message of [
      "Query depth limit of 10 exceeded, found 18.",
      "Aliases limit of 15 exceeded, found 20.",
      "Directives limit of 20 exceeded, found 21.",
      "Query Cost limit of 10000 exceeded, found 15512.5.",
    ]) {
      expect(formatGatewayError({ message: `Syntax Error: ${message}`, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })).toEqual({
        message,
        extensions: { code: "LIMIT_EXCEEDED" },
      });
    }
  });

  it("turns graphql-js's token limit and Apollo's refusal of a batch into LIMIT_EXCEEDED", () => {
    expect(
      formatGatewayError({ message: "Syntax Error: Document contains more that 2000 tokens. Parsing aborted.", extensions: { code: "GRAPHQL_PARSE_FAILED" } }),
    ).toEqual({ message: "Token limit of 2000 exceeded.", extensions: { code: "LIMIT_EXCEEDED" } });
    const batch = formatGatewayError({ message: "Operation batching disabled.", extensions: { code: "BAD_REQUEST" } });
    expect(batch.extensions).toEqual({ code: "LIMIT_EXCEEDED" });
  });

  it("keeps a syntax or validation error that merely quotes 'limit' or 'batching' a BAD_INPUT", () => {
    expect(formatGatewayError({ message: 'Syntax Error: Unexpected Name "limit".', extensions: { code: "GRAPHQL_PARSE_FAILED" } }).extensions).toEqual({
      code: "BAD_INPUT",
    });
    expect(
      formatGatewayError({ message: 'Cannot query field "batching" on type "Query".', extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }).extensions,
    ).toEqual({ code: "BAD_INPUT" });
    expect(
      formatGatewayError({ message: "Syntax Error: Aliases limit of 15 exceeded, found 20. And more", extensions: { code: "GRAPHQL_PARSE_FAILED" } }).extensions,
    ).toEqual({ code: "BAD_INPUT" });
  });

  it("passes our codes with their message, details and path, and keeps locations", () => {
    const formatted = formatGatewayError({
      message: "Unexpected end of expression at position 14",
      path: ["members"],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: "BAD_EXPRESSION", details: { position: 14, reason: "UNEXPECTED_END" }, stacktrace: ["at x (/app/y.js:1:1)"] },
    });
    expect(formatted).toEqual({
      message: "Unexpected end of expression at position 14",
      path: ["members"],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: "BAD_EXPRESSION", details: { position: 14, reason: "UNEXPECTED_END" } },
    });
  });

  it("gives INTERNAL its fixed text and drops its details, whatever the service said", () => {
    expect(
      formatGatewayError({ message: 'relation "members" does not exist', extensions: { code: "INTERNAL", details: { sql: "SELECT phone FROM members" } } }),
    ).toEqual({ message: FIXED_MESSAGES.INTERNAL, extensions: { code: "INTERNAL" } });
  });

  it("maps Apollo's request errors to BAD_INPUT and anything unknown to INTERNAL with the fixed text", () => {
    expect(formatGatewayError({ message: 'Variable "$rows" of required type "[MemberInput!]!" was not provided.', extensions: { code: "BAD_USER_INPUT" } })).toEqual({
      message: 'Variable "$rows" of required type "[MemberInput!]!" was not provided.',
      extensions: { code: "BAD_INPUT" },
    });
    expect(formatGatewayError({ message: "connect ECONNREFUSED 127.0.0.1:5432", extensions: { code: "INTERNAL_SERVER_ERROR", exception: { stacktrace: ["at /app/x.js"] } } })).toEqual({
      message: FIXED_MESSAGES.INTERNAL,
      extensions: { code: "INTERNAL" },
    });
    expect(formatGatewayError({ message: "no code at all" })).toEqual({ message: FIXED_MESSAGES.INTERNAL, extensions: { code: "INTERNAL" } });
  });
});
