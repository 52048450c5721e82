import { performance } from "node:perf_hooks";

/** The gateway's own stages, in the order the header lists them. */
export const GATEWAY_STAGES = ["jwt", "cedar", "plan", "mint", "fetch", "total"] as const;
export type GatewayStage = (typeof GATEWAY_STAGES)[number];

const NODE_STAGE = /^[A-Za-z0-9_-]+$/;

/**
 * Where one request's time went (`Server-Timing`, development only): the gateway's stages summed
 * over the request (`fetch` is the wall time from the first sub-call sent to the last answer,
 * fetches in parallel counted once), and each stage the nodes reported in their own
 * `Server-Timing`, as `node-<stage>`, the longest over the request's fetches.
 */
export class RequestTiming {
  private readonly started = performance.now();
  private readonly stages = new Map<GatewayStage, number>();
  private readonly node = new Map<string, number>();
  private executionStarted: number | undefined;
  private inFlight = 0;
  private fetchSince = 0;

  /** Adds `ms` to a stage. */
  add(stage: Exclude<GatewayStage, "total" | "fetch">, ms: number): void {
    this.stages.set(stage, (this.stages.get(stage) ?? 0) + ms);
  }

  /** Times `run` into `stage`. */
  time<T>(stage: Exclude<GatewayStage, "total" | "fetch">, run: () => T): T {
    const start = performance.now();
    try {
      return run();
    } finally {
      this.add(stage, performance.now() - start);
    }
  }

  executionDidStart(): void {
    this.executionStarted = performance.now();
  }

  /** The query plan is ready (built, or found in the plan cache): `plan` is the time since execution started. */
  didResolveQueryPlan(): void {
    if (this.executionStarted !== undefined) this.add("plan", performance.now() - this.executionStarted);
  }

  /** Wraps one sub-call: only the time with at least one sub-call in flight counts as `fetch`. */
  async fetch<T>(run: () => Promise<T>): Promise<T> {
    if (this.inFlight++ === 0) this.fetchSince = performance.now();
    try {
      return await run();
    } finally {
      if (--this.inFlight === 0) this.stages.set("fetch", (this.stages.get("fetch") ?? 0) + performance.now() - this.fetchSince);
    }
  }

  /** Takes a node's `Server-Timing` header (`name;dur=1.2, ...`); malformed entries are skipped. */
  nodeHeader(header: string | null | undefined): void {
    if (!header) return;
    for (const entry of header.split(",")) {
      const [rawName, ...params] = entry.split(";");
      const name = rawName?.trim() ?? "";
      const dur = params.map((param) => param.trim()).find((param) => param.startsWith("dur="));
      const ms = dur ? Number(dur.slice(4)) : Number.NaN;
      if (!NODE_STAGE.test(name) || !Number.isFinite(ms)) continue;
      const key = `node-${name}`;
      this.node.set(key, Math.max(this.node.get(key) ?? 0, ms));
    }
  }

  /** The `Server-Timing` header value, `total` measured now. */
  header(): string {
    const entries: [string, number][] = GATEWAY_STAGES.map((stage) => [stage, stage === "total" ? performance.now() - this.started : (this.stages.get(stage) ?? 0)]);
    entries.push(...this.node);
    return entries.map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`).join(", ");
  }
}
