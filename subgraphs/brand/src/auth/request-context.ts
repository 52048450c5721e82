import type { ServiceContext } from "@brandpool/subgraph-kit";

/** A brand node resolver's context: the forwarded caller, its principal, this operation's decisions. */
export type RequestContext = ServiceContext;
