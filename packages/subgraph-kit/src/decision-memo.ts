import type { AuthorizationRequest, Authorizer } from "@brandpool/policy";

/** Distinct requests remembered at most; past it the memo starts over (subjects are unbounded). */
const MAX_DECISIONS = 10_000;

/**
 * Cedar's decisions by request, across operations. The shipped policies and schema are fixed for
 * the life of the process and a decision depends on nothing but them and the request (principal
 * with its brand's admission, action, resource with its admission, context), so a request decided
 * once is decided the same way again: every resolver still gets Cedar's decision for exactly its
 * request, without taking the entities across into WASM again (a few hundred µs a call).
 */
export class DecisionMemo {
  private readonly decisions = new Map<string, boolean>();

  constructor(private readonly authorizer: Authorizer) {}

  allowed(request: AuthorizationRequest): boolean {
    // Every field that reaches Cedar is in the key; a different field order only misses.
    const key = JSON.stringify([request.principal, request.action, request.resource, request.context ?? null]);
    const known = this.decisions.get(key);
    if (known !== undefined) return known;
    const allowed = this.authorizer.authorize(request).allowed;
    if (this.decisions.size >= MAX_DECISIONS) this.decisions.clear();
    this.decisions.set(key, allowed);
    return allowed;
  }
}
