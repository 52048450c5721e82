/**
 * A plain Apollo Gateway over brandpool's supergraph and nodes, the baseline of the gateway rows
 * (bare-gateway.ts starts it as its own process). It routes as brandpool's gateway does (root
 * fields of the brand subgraph to the one principal's own node, each `_entities` batch split by
 * brand) and mints the same per-fetch node tokens for that one fixed principal, and does nothing
 * else: no JWT of the caller, no Cedar, no limits, no plugins, no error cleaning.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { ApolloServer, HeaderMap } from "@apollo/server";
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { ForwardedCallerSchema, PrivateJwkSchema, importPrivateKey, mintForwardedToken, serviceAudience } from "@brandpool/tokens";
import type { ForwardedCaller } from "@brandpool/tokens";

const env = process.env;
const required = (name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`bare gateway: ${name} is not set`);
  return value;
};
const port = Number(required("PORT"));
const supergraphSdl = readFileSync(required("SUPERGRAPH_FILE"), "utf8");
const coordinatorUrl = required("COORDINATOR_URL");
const nodeUrls = JSON.parse(required("NODE_URLS")) as Record<string, string>;
const gatewayJwk = PrivateJwkSchema.parse(JSON.parse(required("GATEWAY_KEY")));
const caller: ForwardedCaller = ForwardedCallerSchema.parse(JSON.parse(required("CALLER")));
const ownBrand = caller.kind === "user" || caller.kind === "node" ? caller.brand : null;
const signingKey = await importPrivateKey(gatewayJwk);
const keyId = gatewayJwk.kid ?? "gateway";

type Representation = { __typename?: string; id?: unknown; brandId?: unknown };
const brandOf = (r: Representation) => {
  const value = r.__typename === "Brand" ? r.id : r.brandId;
  return typeof value === "string" ? value : null;
};

/** One data source per subgraph: a fresh request per sub-call, its URL and token set in willSendRequest. */
class BareDataSource extends RemoteGraphQLDataSource {
  private readonly targets = new WeakMap<GatewayGraphQLRequest, { url: string; token: string }>();

  constructor(private readonly subgraph: string) {
    super();
  }

  override willSendRequest({ request }: { request: GatewayGraphQLRequest }): void {
    const target = this.targets.get(request);
    if (!target || !request.http) throw new Error("sub-call without a target");
    (request.http as { url: string }).url = target.url;
    request.http.headers.set("authorization", `Bearer ${target.token}`);
  }

  private async send(options: GraphQLDataSourceProcessOptions, request: GatewayGraphQLRequest, url: string, audience: string) {
    const token = await mintForwardedToken(signingKey, keyId, audience, caller);
    const subRequest: GatewayGraphQLRequest = { ...request, http: undefined };
    this.targets.set(subRequest, { url, token });
    return super.process({ ...options, request: subRequest } as GraphQLDataSourceProcessOptions);
  }

  private node(options: GraphQLDataSourceProcessOptions, request: GatewayGraphQLRequest, brandId: string) {
    const url = nodeUrls[brandId];
    if (!url) return Promise.resolve({ errors: [{ message: `no node ${brandId}` }] } as GatewayGraphQLResponse);
    return this.send(options, request, url, serviceAudience({ kind: "node", brandId }));
  }

  override async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    if (this.subgraph !== "brand") return this.send(options, options.request, coordinatorUrl, serviceAudience({ kind: "coordinator" }));
    const representations = options.request.variables?.representations as Representation[] | undefined;
    if (!Array.isArray(representations)) return ownBrand ? this.node(options, options.request, ownBrand) : { errors: [{ message: "no own node" }] };
    const groups = new Map<string, number[]>();
    representations.forEach((representation, index) => {
      const brandId = brandOf(representation) ?? "";
      groups.set(brandId, [...(groups.get(brandId) ?? []), index]);
    });
    const entities: unknown[] = representations.map(() => null);
    const errors: NonNullable<GatewayGraphQLResponse["errors"]>[number][] = [];
    await Promise.all(
      [...groups].map(async ([brandId, indexes]) => {
        const variables = { ...options.request.variables, representations: indexes.map((index) => representations[index]) };
        const response = await this.node(options, { ...options.request, variables }, brandId);
        const answered = (response.data?._entities as unknown[] | undefined) ?? [];
        indexes.forEach((original, local) => {
          entities[original] = answered[local] ?? null;
        });
        for (const error of response.errors ?? []) {
          const path = error.path ? [...error.path] : undefined;
          if (path?.[0] === "_entities" && typeof path[1] === "number") path[1] = indexes[path[1]] ?? path[1];
          errors.push({ ...error, ...(path ? { path } : {}) });
        }
      }),
    );
    return { data: { _entities: entities }, ...(errors.length ? { errors } : {}) };
  }
}

process.env.APOLLO_TELEMETRY_DISABLED = "true";
const gateway = new ApolloGateway({ supergraphSdl, buildService: ({ name }) => new BareDataSource(name) });
const apollo = new ApolloServer({ gateway, stopOnTerminationSignals: false });
await apollo.start();

const server = http.createServer((req, res) => {
  if (req.url === "/health") {
    res.end("{}");
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8");
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      res.statusCode = 400;
      res.end();
      return;
    }
    apollo
      .executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers, search: new URL(req.url ?? "/", "http://x").search, body },
        context: async () => ({}),
      })
      .then((response) => {
        for (const [key, value] of response.headers) res.setHeader(key, value);
        res.statusCode = response.status ?? 200;
        res.end(response.body.kind === "complete" ? response.body.string : "");
      })
      .catch(() => {
        res.statusCode = 500;
        res.end();
      });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1");
const stop = () => {
  server.close();
  server.closeAllConnections();
  void apollo.stop().finally(() => process.exit(0));
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
