import type { Action, AuthorizationRequest, Authorizer, Decision, Principal, Resource } from "@brandpool/policy";

/** Decisions a gateway process keeps at most (about 200 bytes each); default of DecisionCache. */
export const DEFAULT_DECISION_CACHE_ENTRIES = 10_000;

/** What the gateway's Cedar check asks: no request context, so the three parts decide alone. */
export type FetchDecisionRequest = Pick<AuthorizationRequest, "principal" | "action" | "resource">;

/** Every fact of a principal that reaches Cedar, in a fixed order (toCedarRequest reads these). */
function principalKey(principal: Principal): unknown[] {
  switch (principal.kind) {
    case "user":
      return ["user", principal.subject, principal.role, principal.brand?.id ?? null, principal.brand?.admitted ?? null];
    case "node":
      return ["node", principal.brand.id, principal.brand.admitted];
    default:
      return [principal.kind];
  }
}

function resourceKey(resource: Resource): unknown[] {
  return resource.kind === "brand" ? ["brand", resource.id, resource.admitted] : ["platform"];
}

/**
 * The gateway's Cedar decisions, remembered per process. A decision of the gateway's check is a
 * function of the principal, the action and the resource alone (no request context, no other
 * entities: toCedarRequest builds them from these three), and the policies are fixed for the
 * life of the process (Authorizer.load), so the same question gets the same answer: it is asked
 * of Cedar once. Every fact that reaches Cedar is part of the key, so a brand that is suspended
 * (`admitted` false in the routing table) is a new question, never an old answer. Bounded: when
 * full, it starts again empty.
 */
export class DecisionCache {
  private readonly decisions = new Map<string, Decision>();

  constructor(
    private readonly authorizer: Pick<Authorizer, "authorize">,
    private readonly maxEntries = DEFAULT_DECISION_CACHE_ENTRIES,
  ) {}

  authorize(request: FetchDecisionRequest): Decision {
    // JSON of arrays: no subject, however it is spelt, can make two questions share a key.
    const key = JSON.stringify([principalKey(request.principal), request.action as Action, resourceKey(request.resource)]);
    const known = this.decisions.get(key);
    if (known) return known;
    const decision = this.authorizer.authorize(request);
    if (this.decisions.size >= this.maxEntries) this.decisions.clear();
    this.decisions.set(key, decision);
    return decision;
  }
}
