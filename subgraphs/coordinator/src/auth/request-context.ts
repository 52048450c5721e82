import type { ServiceContext } from "@brandpool/subgraph-kit";

/** A coordinator resolver's context: the forwarded caller, its principal, this operation's decisions. */
export type CoordinatorContext = ServiceContext;
