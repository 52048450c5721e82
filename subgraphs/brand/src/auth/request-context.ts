import type { ForwardedCaller } from "@brandpool/tokens";
import type { Principal } from "@brandpool/policy";
import type { DecisionCache } from "@brandpool/service";
import type { PoolView } from "../pool/pool-view.service.js";

export interface RequestContext extends DecisionCache {
  caller: ForwardedCaller;
}

/** The Cedar principal of a forwarded caller, with admission as this node knows it. */
export function principalOf(caller: ForwardedCaller, pool: PoolView): Principal {
  switch (caller.kind) {
    case "user":
      return {
        kind: "user",
        subject: caller.subject,
        role: caller.role,
        brand: caller.brand ? { id: caller.brand, admitted: pool.isAdmitted(caller.brand) } : null,
      };
    case "node":
      return { kind: "node", brand: { id: caller.brand, admitted: pool.isAdmitted(caller.brand) } };
    case "gateway":
      return { kind: "gateway" };
  }
}
