import { describe, expect, it } from "vitest";
import { CLOCK_SKEW_SECONDS, lifetimeProblem } from "./token-lifetime.js";

const NOW = 1_800_000_000;
const check = (claims: { iat?: unknown; exp?: unknown }, maxLifetimeSeconds = 3_600) => lifetimeProblem(claims, { maxLifetimeSeconds, nowSeconds: NOW });

describe("lifetimeProblem", () => {
  it("accepts a token issued now for exactly the maximum lifetime", () => {
    expect(check({ iat: NOW, exp: NOW + 3_600 })).toBeNull();
  });

  it("refuses a token that lives one second longer than the maximum", () => {
    expect(check({ iat: NOW, exp: NOW + 3_601 })).toBe("lives-too-long");
  });

  it("refuses a token expiring in a hundred years", () => {
    expect(check({ iat: NOW, exp: NOW + 100 * 365 * 86_400 })).toBe("lives-too-long");
  });

  it("refuses a token without iat, or with an iat that is not a number", () => {
    expect(check({ exp: NOW + 60 })).toBe("no-iat");
    expect(check({ iat: String(NOW), exp: NOW + 60 })).toBe("no-iat");
    expect(check({ iat: Number.NaN, exp: NOW + 60 })).toBe("no-iat");
  });

  it("refuses a token without exp", () => {
    expect(check({ iat: NOW })).toBe("no-exp");
  });

  it("takes an iat within the clock skew as now, and refuses one beyond it", () => {
    expect(check({ iat: NOW + CLOCK_SKEW_SECONDS, exp: NOW + CLOCK_SKEW_SECONDS + 60 })).toBeNull();
    expect(check({ iat: NOW + CLOCK_SKEW_SECONDS + 1, exp: NOW + CLOCK_SKEW_SECONDS + 61 })).toBe("issued-in-the-future");
    expect(check({ iat: NOW + 10 * 365 * 86_400, exp: NOW + 10 * 365 * 86_400 + 60 })).toBe("issued-in-the-future");
  });

  it("refuses an expired token once the clock skew has passed", () => {
    expect(check({ iat: NOW - 120, exp: NOW - CLOCK_SKEW_SECONDS + 1 })).toBeNull();
    expect(check({ iat: NOW - 120, exp: NOW - CLOCK_SKEW_SECONDS })).toBe("expired");
  });

  it("applies the node client tokens' five minutes", () => {
    expect(check({ iat: NOW, exp: NOW + 300 }, 300)).toBeNull();
    expect(check({ iat: NOW, exp: NOW + 301 }, 300)).toBe("lives-too-long");
  });
});
