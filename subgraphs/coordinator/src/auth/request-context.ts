import type { ForwardedCaller } from "@brandpool/tokens";
import type { Principal } from "@brandpool/policy";
import type { DecisionCache } from "@brandpool/service";

export interface CoordinatorContext extends DecisionCache {
  caller: ForwardedCaller;
  /** The Cedar principal, with its brand's admission read from the registry (once per operation). */
  principal(): Promise<Principal>;
}
