import type { IncomingMessage } from "node:http";
import { GraphQLError } from "graphql";
import { AppError, FIXED_MESSAGES } from "@brandpool/errors";
import type { GatewayCaller } from "./verify-caller.js";

/** Every operation needs a signed-in caller (introspection included); otherwise HTTP 401. */
export async function callerFromAuthorization(
  req: IncomingMessage,
  verify: (token: string) => Promise<GatewayCaller>,
): Promise<GatewayCaller> {
  const header = req.headers.authorization;
  const match = typeof header === "string" ? /^Bearer (\S+)$/.exec(header) : null;
  const unauthenticated = (message: string) =>
    new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
  if (!match?.[1]) throw unauthenticated(`${FIXED_MESSAGES.UNAUTHENTICATED} Send "Authorization: Bearer <JWT>".`);
  try {
    return await verify(match[1]);
  } catch (error) {
    throw unauthenticated(error instanceof AppError ? error.message : FIXED_MESSAGES.UNAUTHENTICATED);
  }
}
