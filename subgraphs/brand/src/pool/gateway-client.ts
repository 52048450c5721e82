import { AppError } from "@brandpool/errors";
import { importPrivateKey, mintNodeClientToken } from "@brandpool/tokens";
import type { PrivateJwk } from "@brandpool/tokens";

/** This node as a client of the gateway (principal `node:<brandId>`), the only way it reaches other services. */
export class GatewayClient {
  private key: Promise<CryptoKeyLike> | undefined;

  constructor(
    private readonly gatewayUrl: string,
    private readonly brandId: string,
    private readonly nodeKey: PrivateJwk,
  ) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    this.key ??= importPrivateKey(this.nodeKey);
    const token = await mintNodeClientToken(await this.key, this.nodeKey.kid ?? "node", this.brandId);
    const response = await fetch(this.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { extensions?: { code?: string } }[] };
    if (!response.ok || body.errors?.length || !body.data) {
      const code = body.errors?.[0]?.extensions?.code;
      // The gateway's code and HTTP status, so a caller can tell "too large" from "down".
      throw new AppError("UNAVAILABLE", `The gateway refused a node request (${code ?? `HTTP ${response.status}`}).`, {
        gatewayCode: code ?? null,
        status: response.status,
      });
    }
    return body.data;
  }
}

type CryptoKeyLike = Awaited<ReturnType<typeof importPrivateKey>>;
