import { AppError } from "@brandpool/errors";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, fromMemberGlobalId, fromMemberGlobalIds, toMemberGlobalId } from "./global-id.js";

const UUID = "0b6f6a52-4f0e-4e43-9d6f-1b2a3c4d5e6f";

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? error.code : "not an AppError";
  }
  return undefined;
}

describe("member ids and cursors", () => {
  it("round-trips a member id of this brand and refuses one of another brand", () => {
    expect(fromMemberGlobalId("pieshop", toMemberGlobalId("pieshop", UUID))).toBe(UUID);
    expect(fromMemberGlobalId("pieshop", toMemberGlobalId("teabar", UUID))).toBeNull();
    expect(fromMemberGlobalId("pieshop", "not-an-id")).toBeNull();
    expect(fromMemberGlobalId("pieshop", Buffer.from("Member:pieshop:1 OR 1=1").toString("base64url"))).toBeNull();
  });

  it("names bad ids by position only, never quoting an id (it may be another brand's member)", () => {
    const foreign = toMemberGlobalId("teabar", UUID);
    let caught: unknown;
    try {
      fromMemberGlobalIds("pieshop", [toMemberGlobalId("pieshop", UUID), foreign, "junk"]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe("BAD_INPUT");
    expect((caught as AppError).details).toEqual({ field: "ids", positions: [2, 3] });
    expect(JSON.stringify({ message: (caught as AppError).message, details: (caught as AppError).details })).not.toContain(foreign);
  });

  it("round-trips a cursor and refuses garbage as BAD_INPUT", () => {
    expect(decodeCursor(encodeCursor(1_234))).toBe(1_234);
    expect(codeOf(() => decodeCursor("garbage!"))).toBe("BAD_INPUT");
    expect(codeOf(() => decodeCursor(Buffer.from("c:-1").toString("base64url")))).toBe("BAD_INPUT");
  });

  it("refuses a cursor past the largest Postgres integer, which would fail the query as INTERNAL", () => {
    expect(decodeCursor(encodeCursor(2_147_483_647))).toBe(2_147_483_647);
    expect(codeOf(() => decodeCursor(encodeCursor(2_147_483_648)))).toBe("BAD_INPUT");
    expect(codeOf(() => decodeCursor(Buffer.from("c:9999999999").toString("base64url")))).toBe("BAD_INPUT");
  });
});
