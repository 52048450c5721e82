import type { Principal } from "@brandpool/policy";
import type { ForwardedCaller } from "@brandpool/tokens";

/**
 * The Cedar principal of a caller the gateway forwarded, with its brand's admission as this
 * service knows it (the node from its pool view, the coordinator from its registry).
 */
export async function principalFromCaller(
  caller: ForwardedCaller,
  isAdmitted: (brandId: string) => boolean | Promise<boolean>,
): Promise<Principal> {
  switch (caller.kind) {
    case "user":
      return {
        kind: "user",
        subject: caller.subject,
        role: caller.role,
        brand: caller.brand ? { id: caller.brand, admitted: await isAdmitted(caller.brand) } : null,
      };
    case "node":
      return { kind: "node", brand: { id: caller.brand, admitted: await isAdmitted(caller.brand) } };
    case "gateway":
      return { kind: "gateway" };
    case "coordinator":
      return { kind: "coordinator" };
  }
}

/** The per-operation context of a subgraph resolver. */
export interface ServiceContext {
  caller: ForwardedCaller;
  /** Cedar decisions of this operation, by action and resource. */
  decisions: Map<string, boolean>;
  /** The Cedar principal, computed once per operation. */
  principal(): Promise<Principal>;
  /**
   * The request's stage clock when the service sends `Server-Timing` (a ServerTimings of
   * @brandpool/http-server), else null: code on the request's path adds what it timed.
   */
  timings: { add(stage: "token" | "cedar" | "ledger" | "count", ms: number): void } | null;
}

export function serviceContext(
  caller: ForwardedCaller,
  isAdmitted: (brandId: string) => boolean | Promise<boolean>,
  timings: ServiceContext["timings"] = null,
): ServiceContext {
  let principal: Promise<Principal> | undefined;
  return { caller, decisions: new Map(), principal: () => (principal ??= principalFromCaller(caller, isAdmitted)), timings };
}
