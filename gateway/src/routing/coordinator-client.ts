import { AppError } from "@brandpool/errors";
import { mintForwardedToken, serviceAudience } from "@brandpool/tokens";
import { GATEWAY_CALLER } from "./service-data-source.js";

type SigningKey = Parameters<typeof mintForwardedToken>[0];

/** The gateway's own calls to the coordinator (routing table, denial reports), as principal `gateway`. */
export class CoordinatorClient {
  constructor(
    private readonly url: string,
    private readonly signingKey: SigningKey,
    private readonly keyId: string,
  ) {}

  async query(query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
    const token = await mintForwardedToken(this.signingKey, this.keyId, serviceAudience({ kind: "coordinator" }), GATEWAY_CALLER);
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: unknown; errors?: unknown[] };
    if (!response.ok || body.errors?.length || !body.data) throw new AppError("UNAVAILABLE", "The coordinator did not answer.");
    return body.data;
  }
}
