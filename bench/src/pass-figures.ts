import { randomUUID } from "node:crypto";
import { graphqlRequest } from "@brandpool/stack";
import { importPrivateKey, mintForwardedToken, serviceAudience } from "@brandpool/tokens";
import type { ForwardedCaller } from "@brandpool/tokens";
import { timedGraphQL } from "./bench-client.js";
import { failedRow, figureRow, stageShares } from "./figure.js";
import type { FigureRow, FigureSpec } from "./figure.js";
import { latencyExtra, summarize } from "./latency-summary.js";
import type { BareGateway } from "./bare-gateway.js";
import { REPEATED_QUESTION } from "./question-pool.js";
import type { QuestionPool, QuestionShape } from "./question-pool.js";
import type { BenchStack } from "./start-bench-stack.js";

/** Who asks: an analyst of pieshop. Whose members: teabar's (and, for the fan-out, every brand's). */
export const ASKER = "pieshop";
export const OWNER = "teabar";
export const ANALYST = `${ASKER}-analyst@bench`;

const ENTITY_ESTIMATE = /* GraphQL */ `
  query NodeEstimate($representations: [_Any!]!, $expression: String!) {
    _entities(representations: $representations) { ... on Brand { audienceEstimate(expression: $expression) { count repeated } } }
  }
`;
// The fields an outreach list needs; a full page of every field is near the gateway's cost limit.
const MEMBERS_PAGE = /* GraphQL */ `
  query MembersPage($after: String, $expression: String) {
    members(first: 100, after: $after, expression: $expression) {
      edges { cursor node { id name phone email tags } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
/** The own-brand walk's expression: about two in five members. */
export const WALK_EXPRESSION = "gender:f and not lifecycle:churned";

interface Estimate {
  count: number | null;
  repeated: boolean;
}

/** One query asking `brandIds` for the estimate of `$expression`, one alias each (at most 15: the gateway's alias limit). */
export function fanOutQuery(brandIds: readonly string[]): string {
  const fields = brandIds.map((id, i) => `b${i}: brand(id: ${JSON.stringify(id)}) { audienceEstimate(expression: $expression) { count repeated } }`);
  return `query FanOut($expression: String!) { ${fields.join(" ")} }`;
}

/** Every brand of the pool in one field, without aliases (the big pool's twenty brands are over the alias limit). */
export const POOL_FAN_OUT = "query PoolFanOut($expression: String!) { brands { id audienceEstimate(expression: $expression) { count repeated } } }";

function estimatesOf(data: Record<string, unknown>): [string, Estimate | null | undefined][] {
  const brands = data.brands;
  if (Array.isArray(brands)) return (brands as { id: string; audienceEstimate?: Estimate | null }[]).map((b) => [b.id, b.audienceEstimate]);
  return Object.entries(data as Record<string, { audienceEstimate?: Estimate | null } | null>).map(([alias, value]) => [alias, value?.audienceEstimate]);
}

function expectRepeated(label: string, estimates: [string, Estimate | null | undefined][], repeated: boolean, skip?: string): void {
  for (const [who, estimate] of estimates) {
    if (who === skip) continue;
    if (!estimate) throw new Error(`${label}: no estimate from ${who}`);
    if (estimate.repeated !== repeated) throw new Error(`${label}: ${who} says repeated=${estimate.repeated}, expected ${repeated ? "a stored answer" : "a new question"}`);
  }
}

export interface PassContext {
  bench: BenchStack;
  questions: QuestionPool;
  run: { quick: boolean };
  iterations: number;
  warmup: number;
  /** The V8 flags of this pass, as a label ("--max-opt=2" or "full JIT"). */
  flags: string;
  bare?: BareGateway;
  /** Why there is no bare gateway. */
  bareMissing?: string;
  say: (line: string) => void;
}

export async function forwardedTokens(bench: BenchStack, owner: string): Promise<() => Promise<string>> {
  const gatewayKey = await importPrivateKey(bench.keys.gateway);
  const caller: ForwardedCaller = { kind: "user", subject: ANALYST, brand: ASKER, role: "analyst", tokenId: randomUUID() };
  // A node accepts each token once: every call gets a fresh one, minted outside the timed part.
  return () => mintForwardedToken(gatewayKey, bench.keys.gateway.kid ?? "gateway", serviceAudience({ kind: "node", brandId: owner }), { ...caller, tokenId: randomUUID() });
}

/** Calls `measure(i)` for warmup + n calls, keeping the last n. */
async function sample(n: number, warmup: number, measure: (i: number) => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + n; i++) {
    const ms = await measure(i);
    if (i >= warmup) samples.push(ms);
  }
  return samples;
}

/** Node figures over HTTP, straight to the owner's node with a gateway-minted token: cold questions of both shapes and a stored answer. */
export async function nodeFigures(
  context: PassContext,
  options: { owner?: string; idPrefix?: string; what?: string; coldMs?: number; storedMs?: number } = {},
): Promise<FigureRow[]> {
  const { owner = OWNER, idPrefix = "node", what = "", coldMs = 8, storedMs = 4 } = options;
  const { bench, run, flags, say } = context;
  const node = bench.stack.nodes.get(owner);
  if (!node) throw new Error(`no node ${owner}`);
  const token = await forwardedTokens(bench, owner);
  const ask = async (expression: string, label: string) => {
    const minted = await token();
    const answer = await timedGraphQL<{ _entities: ({ audienceEstimate: Estimate } | null)[] }>(node.url, ENTITY_ESTIMATE, {
      token: minted,
      label,
      variables: { representations: [{ __typename: "Brand", id: owner }], expression },
    });
    return { ms: answer.ms, estimate: answer.data._entities[0]?.audienceEstimate, stages: answer.stages };
  };
  const rows: FigureRow[] = [];
  const specs: [FigureSpec, "cold" | "stored", QuestionShape][] = [
    [{ id: `${idPrefix}-cold-and3`, figure: `node estimate over HTTP, new question, a and b and c${what}`, unit: "ms", target: { kind: "at-most", value: coldMs, of: "measured", sizeBound: true } }, "cold", "and3"],
    [{ id: `${idPrefix}-cold-or-not`, figure: `node estimate over HTTP, new question, (a or b) and not c and d${what}`, unit: "ms", target: { kind: "at-most", value: coldMs, of: "measured", sizeBound: true } }, "cold", "or-not"],
    [{ id: `${idPrefix}-stored`, figure: `node estimate over HTTP, stored answer${what}`, unit: "ms", target: { kind: "at-most", value: storedMs, of: "measured", sizeBound: true } }, "stored", "and3"],
  ];
  for (const [spec, kind, shape] of specs) {
    spec.id = `${spec.id}${flags === "full JIT" ? "-full-jit" : ""}`;
    say(`  figure ${spec.id} (${flags})...`);
    try {
      if (kind === "stored") await ask(REPEATED_QUESTION, "priming");
      const stages: Record<string, number>[] = [];
      const samples = await sample(context.iterations, context.warmup, async () => {
        const expression = kind === "stored" ? REPEATED_QUESTION : context.questions.take(shape);
        const answer = await ask(expression, spec.id);
        expectRepeated(spec.id, [[owner, answer.estimate]], kind === "stored");
        stages.push(answer.stages);
        return answer.ms;
      });
      const summary = summarize(samples);
      rows.push(figureRow(spec, { measured: summary.p95, extra: { flags, ...latencyExtra(summary), stages: stageShares(stages, summary.mean) } }, run));
    } catch (error) {
      rows.push(failedRow(spec, error, run));
    }
  }
  return rows;
}

/**
 * The same fan-out through brandpool's gateway and the bare one, alternating call by call so
 * both see the same machine; new questions (a different one for every call of either side: the
 * nodes store every answer, whoever asked) and stored answers, as separate figures.
 */
export async function fanOutFigures(
  context: PassContext,
  options: { idPrefix: string; what: string; query: string; skipBrand?: string; maxMs: number | null },
): Promise<FigureRow[]> {
  const { bench, run, flags, say, bare } = context;
  const analystToken = await bench.stack.token({ brand: ASKER, role: "analyst", subject: ANALYST });
  const rows: FigureRow[] = [];
  for (const kind of ["new", "stored"] as const) {
    const id = `${options.idPrefix}-${kind}${flags === "full JIT" ? "-full-jit" : ""}`;
    const ratioSpec: FigureSpec = {
      id,
      figure: `${options.what}, ${kind === "new" ? "new questions" : "stored answers"}: p95 vs bare Apollo Gateway`,
      unit: "ms",
      target: { kind: "at-most", value: 1.3, of: "ratio", sizeBound: false },
      baselineIs: "bare Apollo Gateway p95, same nodes, same run",
    };
    say(`  figure ${id} (${flags})...`);
    try {
      const call = async (side: "brandpool" | "bare", expression: string) => {
        const url = side === "brandpool" ? bench.stack.gatewayUrl : (bare as BareGateway).url;
        const answer = await timedGraphQL<Record<string, unknown>>(url, options.query, {
          label: `${id} via ${side}`,
          variables: { expression },
          ...(side === "brandpool" ? { token: analystToken } : {}),
        });
        expectRepeated(`${id} via ${side}`, estimatesOf(answer.data), kind === "stored", options.skipBrand);
        return answer;
      };
      // The first ask stores the answer (new at every node that was not asked before).
      if (kind === "stored") await timedGraphQL(bench.stack.gatewayUrl, options.query, { label: `${id} priming`, variables: { expression: REPEATED_QUESTION }, token: analystToken });
      const samples = { brandpool: [] as number[], bare: [] as number[] };
      const stages: Record<string, number>[] = [];
      for (let i = 0; i < context.warmup + context.iterations; i++) {
        const order = (i % 2 === 0 ? ["brandpool", "bare"] : ["bare", "brandpool"]) as ("brandpool" | "bare")[];
        for (const side of order) {
          if (side === "bare" && !bare) continue;
          const answer = await call(side, kind === "stored" ? REPEATED_QUESTION : context.questions.take(i % 2 === 0 ? "and3" : "or-not"));
          if (i < context.warmup) continue;
          samples[side].push(answer.ms);
          if (side === "brandpool") stages.push(answer.stages);
        }
      }
      const ours = summarize(samples.brandpool);
      const theirs = bare ? summarize(samples.bare) : null;
      const shares = stageShares(stages, ours.mean);
      const note = theirs
        ? `brandpool p50 ${ours.p50.toFixed(1)} ms, bare p50 ${theirs.p50.toFixed(1)} ms, bare p95 ${theirs.p95.toFixed(1)} ms`
        : `no baseline: ${context.bareMissing ?? "no bare gateway"}`;
      rows.push(figureRow(ratioSpec, { measured: ours.p95, baseline: theirs?.p95 ?? null, extra: { flags, ...latencyExtra(ours), stages: shares, note } }, run));
      if (options.maxMs !== null) {
        const absolute: FigureSpec = { id: `${id}-p95`, figure: `${options.what}, ${kind === "new" ? "new questions" : "stored answers"}: p95`, unit: "ms", target: { kind: "at-most", value: options.maxMs, of: "measured", sizeBound: true } };
        rows.push(figureRow(absolute, { measured: ours.p95, extra: { flags, ...latencyExtra(ours) } }, run));
      }
    } catch (error) {
      rows.push(failedRow(ratioSpec, error, run));
    }
  }
  return rows;
}

/**
 * Target 3: own-brand `members(first: 100, expression)` pages through the gateway, walking one
 * long list in order: the p95 of every page, and the late pages' p95 over the first pages'.
 */
export async function membersFigures(context: PassContext, walkPages: number): Promise<FigureRow[]> {
  const { bench, run, flags, say } = context;
  const suffix = flags === "full JIT" ? "-full-jit" : "";
  const pageSpec: FigureSpec = { id: `members-page${suffix}`, figure: `members(first: 100, expression) via gateway, own brand`, unit: "ms", target: { kind: "at-most", value: 25, of: "measured", sizeBound: true } };
  const walkSpec: FigureSpec = {
    id: `members-walk${suffix}`,
    figure: `members walk: p95 of the last tenth of pages vs the first tenth`,
    unit: "ms",
    target: { kind: "at-most", value: 1.25, of: "ratio", sizeBound: false },
    baselineIs: "p95 of the walk's first tenth of pages",
  };
  say(`  figures members-page, members-walk (${flags})...`);
  try {
    const token = await bench.stack.token({ brand: ASKER, role: "analyst", subject: ANALYST });
    const page = (after: string | null) =>
      timedGraphQL<{ members: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(bench.stack.gatewayUrl, MEMBERS_PAGE, {
        token,
        label: "members page",
        variables: { after, expression: WALK_EXPRESSION },
      });
    for (let i = 0; i < context.warmup; i++) await page(null);
    const samples: number[] = [];
    let after: string | null = null;
    let reachedEnd = false;
    while (samples.length < walkPages) {
      const answer = await page(after);
      if (answer.data.members.edges.length === 0) throw new Error("members page: no members");
      samples.push(answer.ms);
      after = answer.data.members.pageInfo.endCursor;
      if (!answer.data.members.pageInfo.hasNextPage) {
        reachedEnd = true;
        break;
      }
    }
    const all = summarize(samples);
    const tenth = Math.max(5, Math.floor(samples.length / 10));
    const first = summarize(samples.slice(0, tenth));
    const last = summarize(samples.slice(-tenth));
    const walked = `${samples.length} pages of ${WALK_EXPRESSION}${reachedEnd ? " (to the end)" : ""}`;
    return [
      figureRow(pageSpec, { measured: all.p95, extra: { flags, ...latencyExtra(all), note: walked } }, run),
      figureRow(walkSpec, { measured: last.p95, baseline: first.p95, extra: { flags, note: `${tenth} pages each; ${walked}` } }, run),
    ];
  } catch (error) {
    return [failedRow(pageSpec, error, run), failedRow(walkSpec, error, run)];
  }
}

/** A check call that the analyst's token works at the gateway (fails fast with the gateway's answer). */
export async function checkGateway(bench: BenchStack): Promise<void> {
  const token = await bench.stack.token({ brand: ASKER, role: "analyst", subject: ANALYST });
  const result = await graphqlRequest(bench.stack.gatewayUrl, "{ brands { id } }", { token });
  if (result.errors.length > 0) throw new Error(`the gateway refused the analyst: ${result.raw.slice(0, 300)}`);
}
