import { performance } from "node:perf_hooks";
import type { AuthChecker, ResolverData } from "type-graphql";
import { AppError } from "@brandpool/errors";
import type { Action, Authorizer, Principal, Resource } from "@brandpool/policy";
import { DecisionMemo } from "./decision-memo.js";

export interface DecisionCache {
  /** Cedar decisions of this operation, by action and resource. */
  decisions: Map<string, boolean>;
  /** The request's stage clock when the service sends `Server-Timing` (see @brandpool/http-server). */
  timings?: { add(stage: "cedar", ms: number): void } | null;
}

export interface PolicyGuardOptions<TContext extends DecisionCache> {
  authorizer: Authorizer;
  principalOf(context: TContext): Promise<Principal> | Principal;
  resourceOf(action: Action, data: ResolverData<TContext>): Promise<Resource> | Resource;
  /** Records a denial (audit trail) before the caller gets FORBIDDEN. */
  onDeny(denial: { action: Action; principal: Principal; resource: Resource; context: TContext }): Promise<void>;
}

function resourceKey(resource: Resource): string {
  return resource.kind === "brand" ? `Brand:${resource.id}:${resource.admitted}` : "Platform";
}

/**
 * type-graphql's auth checker, with Cedar behind it: `@Authorized("ListMembers")` names the
 * action; the resource comes from the subgraph; decisions are cached per operation.
 */
export function createPolicyAuthChecker<TContext extends DecisionCache>(
  options: PolicyGuardOptions<TContext>,
): AuthChecker<TContext> {
  const memo = new DecisionMemo(options.authorizer);
  return async (data, actions) => {
    if (actions.length !== 1) throw new Error("Each resolver declares exactly one policy action.");
    const action = actions[0] as Action;
    const principal = await options.principalOf(data.context);
    const resource = await options.resourceOf(action, data);
    const key = `${action}|${resourceKey(resource)}`;
    let allowed = data.context.decisions.get(key);
    if (allowed === undefined) {
      const started = data.context.timings ? performance.now() : 0;
      allowed = memo.allowed({ principal, action, resource });
      data.context.timings?.add("cedar", performance.now() - started);
      data.context.decisions.set(key, allowed);
      if (!allowed) await options.onDeny({ action, principal, resource, context: data.context });
    }
    if (!allowed) throw new AppError("FORBIDDEN");
    return true;
  };
}
