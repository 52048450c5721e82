import { AppError } from "@brandpool/errors";
import { mintForwardedToken } from "@brandpool/tokens";
import { GATEWAY_CALLER } from "./service-data-source.js";

type SigningKey = Parameters<typeof mintForwardedToken>[0];

/**
 * The gateway's own calls to a service (the routing table, denial reports), as principal
 * `gateway`, with a token for that one service.
 */
export class ServiceClient {
  constructor(
    private readonly signingKey: SigningKey,
    private readonly keyId: string,
  ) {}

  async query(target: { url: string; audience: string }, query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
    const token = await mintForwardedToken(this.signingKey, this.keyId, target.audience, GATEWAY_CALLER);
    const response = await fetch(target.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: unknown; errors?: unknown[] };
    if (!response.ok || body.errors?.length || !body.data) throw new AppError("UNAVAILABLE", "A service did not answer the gateway.");
    return body.data;
  }
}
