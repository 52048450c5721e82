import { describe, expect, it } from "vitest";
import { parseQuietHours, quietUntil } from "./quiet-hours.js";

const SHANGHAI = parseQuietHours("21:00-09:00", "Asia/Shanghai");

describe("quiet hours", () => {
  it("holds a send at 23:30 in Shanghai until 09:00 there", () => {
    // 23:30 in Shanghai is 15:30 UTC.
    expect(quietUntil(SHANGHAI, new Date("2026-12-01T15:30:20.500Z"))?.toISOString()).toBe("2026-12-02T01:00:00.000Z");
  });

  it("holds a send at 08:59 until 09:00, and lets one at 09:00 and at 20:59 go", () => {
    expect(quietUntil(SHANGHAI, new Date("2026-12-02T00:59:00Z"))?.toISOString()).toBe("2026-12-02T01:00:00.000Z");
    expect(quietUntil(SHANGHAI, new Date("2026-12-02T01:00:00Z"))).toBeNull();
    expect(quietUntil(SHANGHAI, new Date("2026-12-02T12:59:59Z"))).toBeNull();
    expect(quietUntil(SHANGHAI, new Date("2026-12-02T13:00:00Z"))?.toISOString()).toBe("2026-12-03T01:00:00.000Z");
  });

  it("follows the owner's time zone, not the server's", () => {
    const berlin = parseQuietHours("21:00-09:00", "Europe/Berlin");
    // 15:30 UTC is 16:30 in Berlin (winter): not quiet there, quiet in Shanghai.
    expect(quietUntil(berlin, new Date("2026-12-01T15:30:00Z"))).toBeNull();
    expect(quietUntil(SHANGHAI, new Date("2026-12-01T15:30:00Z"))).not.toBeNull();
  });

  it("handles a window within one day, and none", () => {
    const lunch = parseQuietHours("12:00-13:30", "UTC");
    expect(quietUntil(lunch, new Date("2026-12-01T12:10:00Z"))?.toISOString()).toBe("2026-12-01T13:30:00.000Z");
    expect(quietUntil(lunch, new Date("2026-12-01T13:30:00Z"))).toBeNull();
    expect(quietUntil(parseQuietHours("none", "UTC"), new Date())).toBeNull();
  });
});
