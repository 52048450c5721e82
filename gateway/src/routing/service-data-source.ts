import { performance } from "node:perf_hooks";
import { RemoteGraphQLDataSource } from "@apollo/gateway";
import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { FIXED_MESSAGES, isErrorCode } from "@brandpool/errors";
import type { ErrorCode } from "@brandpool/errors";
import type { Action, Resource } from "@brandpool/policy";
import { mintForwardedToken } from "@brandpool/tokens";
import type { ForwardedCaller } from "@brandpool/tokens";
import type { GatewayCaller } from "../auth/verify-caller.js";
import type { RequestTiming } from "../timing/request-timing.js";
import type { DecisionCache } from "../policy/decision-cache.js";
import { foreignDetails } from "./foreign-error-details.js";
import { actionsOfFetch } from "../policy/fetch-actions.js";
import type { PolicyMap } from "../policy/fetch-actions.js";

export interface GatewayContext {
  /** Absent only for the gateway's own requests (health checks). */
  caller?: GatewayCaller;
  /**
   * Targets (a brand id, or "platform") this operation's denials were already reported for: one
   * report per operation and target, however many aliases, fields or fetches were denied.
   */
  deniedTargets?: Set<string>;
  /** Where this request's time goes; only with SERVER_TIMING=1 (useServerTiming). */
  timing?: RequestTiming;
}

export interface ServiceDataSourceOptions {
  /** Cedar, with the decisions remembered (DecisionCache). */
  authorizer: Pick<DecisionCache, "authorize">;
  policyMap: PolicyMap;
  signingKey: CryptoKeyLike;
  keyId: string;
  /** Records a denial of the gateway's Cedar check in the platform log. */
  reportDenial(denial: { action: string; caller: GatewayCaller; brandId: string | null }): void;
  /** One line for the operator when a service did not answer (the caller gets UNAVAILABLE). */
  log?: (line: string) => void;
}

/** A service that keeps failing gets one line in this long, with the count of the rest. */
const FAILURE_LOG_INTERVAL_MS = 10_000;

/**
 * Why a sub-call failed, in a few words and without its data: the socket error's code, or the
 * HTTP status the service answered with (RemoteGraphQLDataSource throws on any non-2xx).
 */
export function failureReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, extensions } = error as Error & { code?: unknown; extensions?: { response?: { status?: unknown } } };
  const status = extensions?.response?.status;
  if (typeof status === "number") return `HTTP ${status}`;
  return typeof code === "string" ? `${code} (${error.message})` : error.message;
}

type CryptoKeyLike = Parameters<typeof mintForwardedToken>[0];
type ResponseError = NonNullable<GatewayGraphQLResponse["errors"]>[number];

export const GATEWAY_CALLER: ForwardedCaller = { kind: "gateway", subject: "gateway", tokenId: "gateway" };

export function errorResponse(code: ErrorCode, path?: readonly (string | number)[]): ResponseError {
  return { message: FIXED_MESSAGES[code], extensions: { code }, ...(path ? { path: [...path] } : {}) } as ResponseError;
}

/**
 * Base of the gateway's data sources: each sub-call gets its own request object, a target URL
 * and a freshly minted 60-second token for that one service, set in `willSendRequest`.
 */
export abstract class ServiceDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly targets = new WeakMap<GatewayGraphQLRequest, { url: string; token: string }>();

  constructor(protected readonly options: ServiceDataSourceOptions) {
    super();
  }

  override willSendRequest({ request }: { request: GatewayGraphQLRequest }): void {
    const target = this.targets.get(request);
    if (!target || !request.http) throw new Error("sub-call without a target");
    // The base class set its own (placeholder) URL; each sub-call goes to its own service.
    (request.http as { url: string }).url = target.url;
    request.http.headers.set("authorization", `Bearer ${target.token}`);
  }

  /** Sends one sub-call to one service, as the caller (or as the gateway itself). */
  protected async callService(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
    request: GatewayGraphQLRequest,
    target: { url: string; audience: string; caller: ForwardedCaller },
  ): Promise<GatewayGraphQLResponse> {
    const timing = options.context.timing;
    const minting = timing ? performance.now() : 0;
    const token = await mintForwardedToken(this.options.signingKey, this.options.keyId, target.audience, target.caller);
    timing?.add("mint", performance.now() - minting);
    const subRequest: GatewayGraphQLRequest = { ...request, http: undefined };
    this.targets.set(subRequest, { url: target.url, token });
    const send = () => super.process({ ...options, request: subRequest } as GraphQLDataSourceProcessOptions<GatewayContext>);
    return timing ? timing.fetch(send) : send();
  }

  /**
   * Tells the operator which service did not answer and why (the caller only sees UNAVAILABLE):
   * at most one line per service every 10 seconds, with how many failures it stands for.
   */
  protected reportFailure(service: string, error: unknown): void {
    const now = Date.now();
    const last = ServiceDataSource.failures.get(service);
    if (last && now - last.at < FAILURE_LOG_INTERVAL_MS) {
      last.unreported += 1;
      return;
    }
    const more = last?.unreported ? ` (and ${last.unreported} more failures since the last line)` : "";
    ServiceDataSource.failures.set(service, { at: now, unreported: 0 });
    this.options.log?.(`[gateway] ${service} did not answer: ${failureReason(error)}${more}`);
  }

  private static readonly failures = new Map<string, { at: number; unreported: number }>();

  /** With SERVER_TIMING=1, takes the stages the service reported in its own `Server-Timing`. */
  override didReceiveResponse({ response, context }: { response: GatewayGraphQLResponse; context: GatewayContext }): GatewayGraphQLResponse {
    context.timing?.nodeHeader(response.http?.headers.get("server-timing"));
    return response;
  }

  /** Cedar before any fetch: every action this fetch needs must be allowed on `resource`. */
  protected authorizeFetch(query: string, context: GatewayContext, resourceOf: (action: Action) => Resource): boolean {
    const caller = context.caller;
    if (!caller) return false;
    const timing = context.timing;
    if (!timing) return this.decideFetch(query, context, caller, resourceOf);
    const started = performance.now();
    try {
      return this.decideFetch(query, context, caller, resourceOf);
    } finally {
      timing.add("cedar", performance.now() - started);
    }
  }

  private decideFetch(query: string, context: GatewayContext, caller: GatewayCaller, resourceOf: (action: Action) => Resource): boolean {
    // One Cedar call per distinct action: aliases of one field ask the same question.
    const actions = new Set(actionsOfFetch(query, this.options.policyMap).map((entry) => entry.action));
    for (const action of actions) {
      const resource = action ? resourceOf(action as Action) : null;
      const allowed = action !== null && resource !== null && this.options.authorizer.authorize({ principal: caller.principal, action: action as Action, resource }).allowed;
      if (!allowed) {
        this.reportOnce(context, { action: action ?? "Unknown", caller, brandId: resource?.kind === "brand" ? resource.id : null });
        return false;
      }
    }
    return true;
  }

  /** Reports a fetch refused without a Cedar decision (nowhere to route it), like a Cedar denial. */
  protected reportRefusal(query: string, context: GatewayContext, brandId: string | null): void {
    const [first] = actionsOfFetch(query, this.options.policyMap);
    if (context.caller) this.reportOnce(context, { action: first?.action ?? "Unknown", caller: context.caller, brandId });
  }

  /**
   * One report per operation and target: the plan may deny many fetches of one operation at one
   * brand (each alias of `brand(id) { ... }` is a fetch of its own, a mutation's fields run one
   * by one), and each would otherwise be an event in two logs. The first denied action is kept.
   */
  private reportOnce(context: GatewayContext, denial: { action: string; caller: GatewayCaller; brandId: string | null }): void {
    const target = denial.brandId ?? "platform";
    if (context.deniedTargets?.has(target)) return;
    context.deniedTargets?.add(target);
    this.options.reportDenial(denial);
  }

  /**
   * Errors keep their code. From another brand's node they also lose their message (replaced by
   * the code's fixed text) and every detail but the few that say only what the caller may do next
   * (FOREIGN_DETAILS); from the caller's own services they keep both.
   */
  protected static cleanErrors(errors: GatewayGraphQLResponse["errors"], foreign: boolean): ResponseError[] | undefined {
    if (!errors) return undefined;
    return errors.map((error) => {
      const raw = error.extensions?.code;
      const code: ErrorCode = isErrorCode(raw) ? raw : "INTERNAL";
      const given = code !== "INTERNAL" ? (error.extensions?.details as Record<string, unknown> | undefined) : undefined;
      const details = foreign ? foreignDetails(code, given) : given;
      return {
        message: foreign || code === "INTERNAL" ? FIXED_MESSAGES[code] : error.message,
        ...(error.path ? { path: error.path } : {}),
        extensions: { code, ...(details ? { details } : {}) },
      } as ResponseError;
    });
  }
}
