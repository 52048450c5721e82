import { freePort } from "@brandpool/postgres";
import { REPO_ROOT, SERVICE_NODE_FLAGS, startServiceProcess } from "@brandpool/stack";
import type { ServiceProcess } from "@brandpool/stack";
import type { ForwardedCaller, PrivateJwk } from "@brandpool/tokens";

export interface BareGatewayOptions {
  /** The coordinator's GraphQL URL (the stack's `coordinator.url`). */
  coordinatorUrl: string;
  /** Each brand's node URL by brand id (the stack's `nodes`). */
  nodeUrls: Readonly<Record<string, string>>;
  /** The gateway's private key (the stack keys' `gateway`): the nodes trust its public half. */
  gatewayKey: PrivateJwk;
  /** The one principal every fetch is forwarded as; its own brand answers root fields (`members`). */
  caller: ForwardedCaller;
  /** Default: a free port. */
  port?: number;
  /** V8 flags of the process; default SERVICE_NODE_FLAGS (those of brandpool's gateway). */
  nodeFlags?: readonly string[];
  log?: (line: string) => void;
}

export interface BareGateway {
  /** Its GraphQL endpoint (POST, no Authorization needed). */
  url: string;
  process: ServiceProcess;
  stop(): Promise<void>;
}

/**
 * Starts a plain Apollo Gateway (@apollo/gateway and @apollo/server, the gateway's versions) as
 * its own Node process over the committed supergraph and the stack's real nodes: the baseline
 * that brandpool's gateway is compared with. It routes as the real one does and mints a fresh
 * node token per fetch for `caller`, and verifies, authorises and limits nothing.
 */
export async function startBareGateway(options: BareGatewayOptions): Promise<BareGateway> {
  const port = options.port ?? (await freePort());
  const service = await startServiceProcess({
    name: "bare-gateway",
    script: "bench/dist/bare-gateway-main.js",
    port,
    env: {
      PORT: String(port),
      SUPERGRAPH_FILE: `${REPO_ROOT}gateway/supergraph.graphql`,
      COORDINATOR_URL: options.coordinatorUrl,
      NODE_URLS: JSON.stringify(options.nodeUrls),
      GATEWAY_KEY: JSON.stringify(options.gatewayKey),
      CALLER: JSON.stringify(options.caller),
    },
    nodeFlags: options.nodeFlags ?? SERVICE_NODE_FLAGS,
    log: options.log,
  });
  return { url: service.url, process: service, stop: () => service.stop() };
}
