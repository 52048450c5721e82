import { describe, expect, it } from "vitest";
import { isAppError } from "@brandpool/errors";
import { decodeRefusalCursor, encodeRefusalCursor } from "./outbox-refusal.service.js";

const POSITION = { refusedAtMicros: "1796150450463123", id: "0b7e2f0a-9c1d-4e5f-8a6b-1c2d3e4f5a6b" };

describe("outbox refusal cursors", () => {
  it("round-trip the exact position, to the microsecond", () => {
    expect(decodeRefusalCursor(encodeRefusalCursor(POSITION))).toEqual(POSITION);
  });

  it.each([["garbage"], [Buffer.from("r:12:not-a-uuid").toString("base64url")], [Buffer.from(`c:${POSITION.refusedAtMicros}`).toString("base64url")]])(
    "refuses a cursor that is not one (%s) with BAD_INPUT",
    (cursor) => {
      let error: unknown;
      try {
        decodeRefusalCursor(cursor);
      } catch (caught) {
        error = caught;
      }
      expect(isAppError(error) && { code: error.code, details: error.details }).toEqual({ code: "BAD_INPUT", details: { field: "after" } });
    },
  );
});
