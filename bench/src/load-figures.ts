import type { ServiceProcess } from "@brandpool/stack";
import { timedGraphQL } from "./bench-client.js";
import { failedRow, figureRow } from "./figure.js";
import type { FigureRow, FigureSpec } from "./figure.js";
import { ANALYST, ASKER, OWNER, forwardedTokens } from "./pass-figures.js";
import type { PassContext } from "./pass-figures.js";
import { measureGatewayOverhead } from "./gateway-overhead.js";
import { REPEATED_QUESTION } from "./question-pool.js";

export const OVERHEAD_SPEC: FigureSpec = {
  id: "gateway-overhead",
  figure: "own-brand members(first: 20), 50 connections (autocannon): brandpool vs bare gateway",
  unit: "req/s",
  target: { kind: "at-least", value: 0.8, of: "ratio", sizeBound: false },
  baselineIs: "bare Apollo Gateway req/s over the same nodes",
};

/** Target 4: `measureGatewayOverhead` (autocannon) against the bare gateway of the same pass. */
export async function overheadFigure(context: PassContext, seconds: number): Promise<FigureRow> {
  const spec = { ...OVERHEAD_SPEC, id: `${OVERHEAD_SPEC.id}${context.flags === "full JIT" ? "-full-jit" : ""}` };
  context.say(`  figure ${spec.id} (${context.flags})...`);
  if (!context.bare) {
    const why = context.bareMissing ?? "no bare gateway";
    return figureRow(spec, { measured: null, extra: { flags: context.flags, note: `not available: ${why}` } }, context.run);
  }
  try {
    const token = await context.bench.stack.token({ brand: ASKER, role: "analyst", subject: ANALYST });
    const o = await measureGatewayOverhead({ brandpoolUrl: context.bench.stack.gatewayUrl, bareUrl: context.bare.url, token, seconds, say: context.say });
    const note = `brandpool p50 ${o.brandpool.p50Ms} ms p99 ${o.brandpool.p99Ms} ms; bare p50 ${o.bare.p50Ms} ms p99 ${o.bare.p99Ms} ms; ${o.connections} connections`;
    const failures = o.brandpool.failures + o.bare.failures;
    return figureRow(
      spec,
      {
        measured: o.brandpool.requestsPerSecond,
        baseline: o.bare.requestsPerSecond,
        extra: { flags: context.flags, p50: o.brandpool.p50Ms, p99: o.brandpool.p99Ms, note, ...(failures > 0 ? { error: `${failures} failed requests` } : {}) },
      },
      context.run,
    );
  } catch (error) {
    return failedRow(spec, error, context.run);
  }
}

const exited = (service: ServiceProcess) => service.child.exitCode !== null || service.child.signalCode !== null;

/**
 * Target 5's soak: `requests` calls, 8 in flight, half through the gateway (stored answers and
 * own-brand pages), half straight to the owner's node; the figure is the services that died.
 */
export async function soakFigure(context: PassContext, requests: number): Promise<FigureRow> {
  const { bench, flags, say } = context;
  const spec: FigureSpec = { id: `soak${flags === "full JIT" ? "-full-jit" : ""}`, figure: `soak: ${requests.toLocaleString("en-US")} requests, gateway and a node, 8 in flight`, unit: "processes", target: { kind: "at-most", value: 0, of: "measured", sizeBound: false } };
  say(`  figure ${spec.id} (${flags})...`);
  try {
    const token = await bench.stack.token({ brand: ASKER, role: "analyst", subject: ANALYST });
    const forwarded = await forwardedTokens(bench, OWNER);
    const node = bench.stack.nodes.get(OWNER);
    if (!node) throw new Error(`no node ${OWNER}`);
    const services = [bench.stack.gateway, bench.stack.coordinator, node];
    let next = 0;
    let failures = 0;
    let firstFailure: string | undefined;
    const worker = async () => {
      while (next < requests) {
        const i = next++;
        try {
          if (i % 2 === 0) {
            const query = i % 4 === 0 ? `query S($e: String!) { brand(id: "${OWNER}") { audienceEstimate(expression: $e) { count } } }` : "{ members(first: 20) { edges { node { id name } } } }";
            await timedGraphQL(bench.stack.gatewayUrl, query, { token, label: "soak via gateway", variables: i % 4 === 0 ? { e: REPEATED_QUESTION } : {} });
          } else {
            const query = `query N($r: [_Any!]!, $e: String!) { _entities(representations: $r) { ... on Brand { audienceEstimate(expression: $e) { count } } } }`;
            await timedGraphQL(node.url, query, { token: await forwarded(), label: "soak at the node", variables: { r: [{ __typename: "Brand", id: OWNER }], e: REPEATED_QUESTION } });
          }
        } catch (error) {
          failures++;
          firstFailure ??= (error as Error).message;
        }
        if (i > 0 && i % Math.max(1, Math.floor(requests / 5)) === 0) say(`    ${i.toLocaleString("en-US")} requests...`);
        if (services.some(exited)) break;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const dead = services.filter(exited);
    const note = `${next.toLocaleString("en-US")} sent, ${failures} failed${firstFailure ? ` (first: ${firstFailure.slice(0, 160)})` : ""}${dead.length ? `; exited: ${dead.map((s) => `${s.name} ${s.child.signalCode ?? s.child.exitCode}`).join(", ")}` : ""}`;
    return figureRow(spec, { measured: dead.length, extra: { flags, n: next, note, ...(failures > 0 && dead.length === 0 ? { error: `${failures} failed requests` } : {}) } }, context.run);
  } catch (error) {
    return failedRow(spec, error, context.run);
  }
}
