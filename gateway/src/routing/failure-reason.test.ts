import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { failureReason } from "./service-data-source.js";

describe("failureReason", () => {
  it("gives a socket error's code with its message", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4001"), { code: "ECONNREFUSED" });
    expect(failureReason(refused)).toBe("ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:4001)");
  });

  it("gives the HTTP status a service answered with, not the body it sent", () => {
    // RemoteGraphQLDataSource's error for a non-2xx answer carries the response in its extensions.
    const refused = new GraphQLError("401: Unauthorized", { extensions: { response: { status: 401, body: { errors: [{ message: "secret detail" }] } } } });
    expect(failureReason(refused)).toBe("HTTP 401");
  });

  it("gives something readable for what is not an Error (bad input: a string, undefined)", () => {
    expect(failureReason("gone")).toBe("gone");
    expect(failureReason(undefined)).toBe("undefined");
    expect(failureReason(new Error("socket hang up"))).toBe("socket hang up");
  });
});
