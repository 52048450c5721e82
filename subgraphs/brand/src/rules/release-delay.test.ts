import { describe, expect, it } from "vitest";
import { drawReleaseAt } from "./release-delay.js";

const NOW = new Date("2026-12-02T02:00:00Z");
const inDays = (days: number) => ({ expiresAt: new Date(NOW.getTime() + days * 86_400_000) });

describe("drawReleaseAt", () => {
  it("draws log-normal delays around the median: half below it, none negative, spread by sigma", () => {
    const delays = Array.from({ length: 4_000 }, () => drawReleaseAt({ medianSeconds: 3_600, sigma: 1 }, inDays(30), NOW).getTime() - NOW.getTime());
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
    expect(drawReleaseAt({ medianSeconds: 4, sigma: 0 }, inDays(7), NOW)).toEqual(new Date(NOW.getTime() + 4_000));
  });

  it("releases before the request expires, as a person's decline would come, and never before now", () => {
    const soon = { expiresAt: new Date(NOW.getTime() + 10 * 60_000) };
    expect(drawReleaseAt({ medianSeconds: 86_400, sigma: 0 }, soon, NOW)).toEqual(new Date(soon.expiresAt.getTime() - 60_000));
    const past = { expiresAt: new Date(NOW.getTime() - 60_000) };
    expect(drawReleaseAt({ medianSeconds: 60, sigma: 0 }, past, NOW)).toEqual(NOW);
  });
});
