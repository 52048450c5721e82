import { AppError } from "@brandpool/errors";
import { importPrivateKey, mintCoordinatorClientToken } from "@brandpool/tokens";
import type { PrivateJwk } from "@brandpool/tokens";

/**
 * The coordinator as a client of the gateway (principal `coordinator`, its own key), the only way
 * it reaches a node: as nodes reach the coordinator, it never calls one behind the gateway's back.
 */
export class CoordinatorGatewayClient {
  private key: ReturnType<typeof importPrivateKey> | undefined;

  constructor(
    private readonly gatewayUrl: string,
    private readonly clientKey: PrivateJwk,
  ) {}

  /** The data, and the error codes of the fields that failed (null data fields beside them). */
  async request<T>(query: string, variables: Record<string, unknown>): Promise<{ data: T | null; errorCodes: string[] }> {
    this.key ??= importPrivateKey(this.clientKey);
    const token = await mintCoordinatorClientToken(await this.key, this.clientKey.kid ?? "coordinator");
    let response: Response;
    try {
      response = await fetch(this.gatewayUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new AppError("UNAVAILABLE", "The gateway could not be reached.");
    }
    const body = (await response.json().catch(() => ({}))) as { data?: T | null; errors?: { extensions?: { code?: string } }[] };
    if (!response.ok && !body.data) throw new AppError("UNAVAILABLE", `The gateway refused the coordinator (HTTP ${response.status}).`);
    return { data: body.data ?? null, errorCodes: (body.errors ?? []).map((error) => error.extensions?.code ?? "INTERNAL") };
  }
}
