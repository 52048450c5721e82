import { describe, expect, it } from "vitest";
import type { AppError } from "@brandpool/errors";
import type { Principal } from "@brandpool/policy";
import { PerPrincipalLimiter, principalKey } from "./per-principal-limiter.js";

const analyst = (subject: string): Principal => ({ kind: "user", subject, role: "analyst", brand: { id: "pieshop", admitted: true } });

describe("per-principal rate limits", () => {
  it("lets a principal make its rate of operations a second, then refuses with RATE_LIMITED and a retry hint", async () => {
    const limiter = new PerPrincipalLimiter({ points: 3, perSeconds: 1 });
    for (let i = 0; i < 3; i += 1) await limiter.take(principalKey(analyst("a")), {});
    const refused = await limiter.take(principalKey(analyst("a")), {}).catch((error: AppError) => error);
    expect((refused as AppError).code).toBe("RATE_LIMITED");
    const retryAfterMs = (refused as AppError).details?.retryAfterMs as number;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(1000);
  });

  it("counts one operation once, however many fields ask, and gives them all its decision", async () => {
    const limiter = new PerPrincipalLimiter({ points: 2, perSeconds: 1 });
    const operation = {};
    for (let i = 0; i < 15; i += 1) await limiter.take(principalKey(analyst("b")), operation);
    await limiter.take(principalKey(analyst("b")), {});
    const over = {};
    const decisions = await Promise.allSettled(Array.from({ length: 5 }, () => limiter.take(principalKey(analyst("b")), over)));
    expect(decisions.map((decision) => decision.status)).toEqual(Array(5).fill("rejected"));
  });

  it("keeps principals apart: one person's calls do not use another's rate", async () => {
    const limiter = new PerPrincipalLimiter({ points: 1, perSeconds: 1 });
    await limiter.take(principalKey(analyst("c")), {});
    await expect(limiter.take(principalKey(analyst("d")), {})).resolves.toBeUndefined();
    await expect(limiter.take(principalKey(analyst("c")), {})).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("drops what is over the rate when asked whether to allow it, rather than refusing", async () => {
    const limiter = new PerPrincipalLimiter({ points: 2, perSeconds: 60 });
    expect([await limiter.allow("k"), await limiter.allow("k"), await limiter.allow("k")]).toEqual([true, true, false]);
    expect(await limiter.allow("other")).toBe(true);
  });

  it("names users by brand and subject and nodes by brand", () => {
    expect(principalKey(analyst("x"))).toBe("user:pieshop:x");
    expect(principalKey({ kind: "node", brand: { id: "teabar", admitted: true } })).toBe("node:teabar");
  });
});
