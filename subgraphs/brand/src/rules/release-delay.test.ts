import { describe, expect, it } from "vitest";
import type { TargetStatus } from "../db/incoming-request.table.js";
import { requesterStatus } from "../outreach/outreach-target.service.js";
import { drawReleaseAt } from "./release-delay.js";

const NOW = new Date("2026-12-02T02:00:00Z");

describe("drawReleaseAt", () => {
  it("draws log-normal delays around the median: half below it, none negative, spread by sigma", () => {
    const delays = Array.from({ length: 4_000 }, () => drawReleaseAt({ medianSeconds: 3_600, sigma: 1 }, NOW).getTime() - NOW.getTime());
    const below = delays.filter((ms) => ms < 3_600_000).length / delays.length;
    expect(below).toBeGreaterThan(0.46);
    expect(below).toBeLessThan(0.54);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    // e^(+-0.6745) holds the middle half of a log-normal with sigma 1.
    const middle = delays.filter((ms) => ms > 3_600_000 * Math.exp(-0.6745) && ms < 3_600_000 * Math.exp(0.6745)).length / delays.length;
    expect(middle).toBeGreaterThan(0.45);
    expect(middle).toBeLessThan(0.55);
    // Not one value: the draws differ.
    expect(new Set(delays).size).toBeGreaterThan(3_900);
  });

  it("gives exactly the median with sigma 0 (the tests' setting)", () => {
    expect(drawReleaseAt({ medianSeconds: 4, sigma: 0 }, NOW)).toEqual(new Date(NOW.getTime() + 4_000));
  });

  it("does not cut the draw at the request's expiry (a cut would pile automatic declines up just before it)", () => {
    expect(drawReleaseAt({ medianSeconds: 86_400, sigma: 0 }, NOW)).toEqual(new Date(NOW.getTime() + 86_400_000));
  });
});

describe("requesterStatus", () => {
  const HOUR = 3_600_000;
  const copy = (status: TargetStatus, releaseInHours: number | null, released: boolean, expiresInHours = 24) => ({
    status,
    releaseAt: releaseInHours === null ? null : new Date(NOW.getTime() + releaseInHours * HOUR),
    releasedAt: released ? NOW : null,
    expiresAt: new Date(NOW.getTime() + expiresInHours * HOUR),
  });
  it("shows a held automatic decline as PENDING until it is released, then DECLINED", () => {
    expect(requesterStatus(copy("DECLINED", 2, false), NOW)).toBe("PENDING");
    expect(requesterStatus(copy("DECLINED", 2, true), NOW)).toBe("DECLINED");
  });
  it("shows an automatic decline drawn past the expiry as PENDING, then EXPIRED from the expiry on, never DECLINED", () => {
    // Bad input for the rule: a request expiring in an hour, its decline drawn for in two.
    const late = copy("DECLINED", 2, false, 1);
    expect(requesterStatus(late, NOW)).toBe("PENDING");
    expect(requesterStatus(late, new Date(NOW.getTime() + HOUR))).toBe("EXPIRED");
    expect(requesterStatus({ ...late, releasedAt: new Date(NOW.getTime() + HOUR) }, new Date(NOW.getTime() + 3 * HOUR))).toBe("EXPIRED");
  });
  it("passes every other status through as stored, a person's decline included", () => {
    for (const status of ["PENDING", "APPROVED", "EXPIRED", "CANCELLED", "SENDING", "SENT", "FAILED"] as const) expect(requesterStatus(copy(status, null, false), NOW)).toBe(status);
    expect(requesterStatus(copy("DECLINED", null, false), NOW)).toBe("DECLINED");
  });
});
