import { describe, expect, it } from "vitest";
import { monthIn, periodEnd } from "./budget-period.js";

describe("budget periods", () => {
  it("takes the month in the owner's time zone, not UTC's", () => {
    // 2026-11-30 17:30 UTC is already December 1st in Shanghai (UTC+8).
    const at = new Date("2026-11-30T17:30:00Z");
    expect(monthIn("Asia/Shanghai", at)).toBe("2026-12");
    expect(monthIn("UTC", at)).toBe("2026-11");
    expect(monthIn("America/Los_Angeles", at)).toBe("2026-11");
  });

  it("ends a period at midnight of the next month's first day in the owner's zone", () => {
    expect(periodEnd("Asia/Shanghai", "2026-12").toISOString()).toBe("2026-12-31T16:00:00.000Z");
    expect(periodEnd("UTC", "2026-02").toISOString()).toBe("2026-03-01T00:00:00.000Z");
    // Los Angeles is on daylight time in October (UTC-7) and standard time in November (UTC-8).
    expect(periodEnd("America/Los_Angeles", "2026-10").toISOString()).toBe("2026-11-01T07:00:00.000Z");
    expect(periodEnd("America/Los_Angeles", "2026-11").toISOString()).toBe("2026-12-01T08:00:00.000Z");
  });

  it("ends a period when the zone's clock leaves it, where a DST change skips midnight of the 1st", () => {
    // Asunción moved its clocks from 00:00 to 01:00 on 2023-10-01 (UTC-4 to UTC-3).
    expect(periodEnd("America/Asuncion", "2023-09").toISOString()).toBe("2023-10-01T04:00:00.000Z");
  });

  it("starts the next period exactly when the last one ends", () => {
    for (const zone of ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Asuncion", "America/Havana"]) {
      for (const period of ["2012-03", "2023-09", "2026-01", "2026-03", "2026-10", "2026-12"]) {
        const end = periodEnd(zone, period).getTime();
        expect(monthIn(zone, new Date(end - 1)), `${zone} ${period}`).toBe(period);
        expect(monthIn(zone, new Date(end)), `${zone} ${period}`).not.toBe(period);
      }
    }
  });

  it("refuses something that is not a period", () => {
    expect(() => periodEnd("UTC", "2026-1")).toThrow(/not a budget period/);
  });
});
