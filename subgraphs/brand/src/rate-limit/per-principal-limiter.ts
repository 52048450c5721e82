import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@brandpool/errors";
import type { Principal } from "@brandpool/policy";

/** The key a principal is limited under: one person, or one node. */
export function principalKey(principal: Principal): string {
  switch (principal.kind) {
    case "user":
      return `user:${principal.brand?.id ?? "-"}:${principal.subject}`;
    case "node":
      return `node:${principal.brand.id}`;
    case "gateway":
      return "gateway";
    case "coordinator":
      return "coordinator";
  }
}

/**
 * A rate per key (a principal, a brand) in memory (this node is one process per brand). An operation is counted
 * once, however many aliased fields it holds: the gateway bounds aliases, this bounds operations.
 */
export class PerPrincipalLimiter {
  private readonly limiter: RateLimiterMemory;
  private readonly decided = new WeakMap<object, Promise<void>>();

  constructor(options: { points: number; perSeconds: number }) {
    this.limiter = new RateLimiterMemory({ points: options.points, duration: options.perSeconds });
  }

  /** Counts the operation once under `key`; `RATE_LIMITED` with `retryAfterMs` when the key is over its rate. */
  take(key: string, operation: object): Promise<void> {
    // Every field of one operation shares the first one's decision.
    let decision = this.decided.get(operation);
    if (!decision) {
      decision = this.limiter.consume(key).then(
        () => undefined,
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          const retryAfterMs = Math.max(1, Math.ceil(rejection.msBeforeNext));
          throw new AppError("RATE_LIMITED", `Too many calls; try again in ${retryAfterMs} ms.`, { retryAfterMs });
        },
      );
      this.decided.set(operation, decision);
    }
    return decision;
  }

  /** Whether the principal is within its rate, counting this one (for reports that are dropped, not refused). */
  async allow(key: string): Promise<boolean> {
    return this.limiter.consume(key).then(
      () => true,
      (rejection: unknown) => {
        if (rejection instanceof RateLimiterRes) return false;
        throw rejection;
      },
    );
  }
}
