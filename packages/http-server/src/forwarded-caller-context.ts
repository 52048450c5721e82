import type { IncomingMessage } from "node:http";
import { GraphQLError } from "graphql";
import { FIXED_MESSAGES } from "@brandpool/errors";
import type { ForwardedCaller } from "@brandpool/tokens";
import { timed } from "./server-timing.js";
import type { StageTimings } from "./server-timing.js";

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
}

/**
 * Every call to a service carries the gateway's per-fetch token for this service. Without one, or
 * with one for another service or from an untrusted key, the answer is HTTP 401.
 */
export async function callerFromRequest(
  req: IncomingMessage,
  verify: (token: string) => Promise<ForwardedCaller>,
  timings: StageTimings | null = null,
): Promise<ForwardedCaller> {
  const header = req.headers.authorization;
  const match = typeof header === "string" ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header) : null;
  if (!match?.[1]) throw unauthenticated(FIXED_MESSAGES.UNAUTHENTICATED);
  try {
    const token = match[1];
    return await timed(timings, "token", () => verify(token));
  } catch {
    throw unauthenticated("A valid gateway token for this service is required.");
  }
}
