import { describe, expect, it } from "vitest";
import { MAX_PAYLOAD_BYTES, refusalOf } from "./node-event-refusal.js";

const GOOD = { id: "0b7e2f0a-9c1d-4e5f-8a6b-1c2d3e4f5a6b", type: "estimate.answered", payload: { owner: "pieshop", released: 120 } };

describe("refusalOf", () => {
  it("accepts a well-formed event about the pushing node's own brand", () => {
    expect(refusalOf(GOOD, "pieshop")).toBeNull();
    expect(refusalOf({ ...GOOD, payload: { released: 1 } }, "pieshop")).toBeNull();
  });

  it("refuses a payload over 8 KiB, and accepts one of exactly 8 KiB", () => {
    const fill = (bytes: number) => ({ note: "x".repeat(bytes - JSON.stringify({ note: "" }).length) });
    expect(Buffer.byteLength(JSON.stringify(fill(MAX_PAYLOAD_BYTES)))).toBe(MAX_PAYLOAD_BYTES);
    expect(refusalOf({ ...GOOD, payload: fill(MAX_PAYLOAD_BYTES) }, "pieshop")).toBeNull();
    expect(refusalOf({ ...GOOD, payload: fill(MAX_PAYLOAD_BYTES + 1) }, "pieshop")?.reason).toBe("PAYLOAD_TOO_LARGE");
    // Bytes, not characters: 3,000 CJK characters are 9,000 bytes.
    expect(refusalOf({ ...GOOD, payload: { note: "茶".repeat(3_000) } }, "pieshop")?.reason).toBe("PAYLOAD_TOO_LARGE");
  });

  it("refuses an id that is not a UUID and a type that is not dotted lower case", () => {
    expect(refusalOf({ ...GOOD, id: "42" }, "pieshop")).toEqual({ reason: "BAD_ID", message: "The event id is not a UUID." });
    expect(refusalOf({ ...GOOD, type: "Estimate" }, "pieshop")?.reason).toBe("BAD_TYPE");
  });

  it("refuses a NUL character anywhere in the payload (Postgres jsonb cannot hold one), but not an escaped backslash", () => {
    expect(refusalOf({ ...GOOD, payload: { deep: [{ note: "a\u0000b" }] } }, "pieshop")?.reason).toBe("BAD_PAYLOAD");
    expect(refusalOf({ ...GOOD, payload: { ["k\u0000"]: 1 } }, "pieshop")?.reason).toBe("BAD_PAYLOAD");
    expect(refusalOf({ ...GOOD, payload: { note: "\\u0000" } }, "pieshop")).toBeNull();
  });

  it("refuses an event naming another brand as its owner", () => {
    expect(refusalOf(GOOD, "teabar")?.reason).toBe("OTHER_BRAND");
  });
});
