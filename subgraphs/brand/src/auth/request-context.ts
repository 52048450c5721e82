import type { ServiceContext } from "@brandpool/service";

/** A brand node resolver's context: the forwarded caller, its principal, this operation's decisions. */
export type RequestContext = ServiceContext;
