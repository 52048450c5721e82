import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root (packages/stack/dist -> ../../..). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * V8 flags of every service's process (gateway, coordinator, brand nodes). On Node 20.20 (V8
 * 11.3), TurboFan inlines a JavaScript function's call into a WebAssembly export; when the Wasm
 * export returns an `externref` and the caller is deoptimised lazily while the call runs (its
 * Wasm called back into JavaScript, which changed a map the caller's code relied on), V8 cannot
 * rebuild the call's frame and the process dies: "Fatal error ... unreachable code" in
 * Deoptimizer::DoComputeBuiltinContinuation, SIGTRAP. Cedar's Wasm (`@cedar-policy/cedar-wasm`,
 * in the gateway and every node) has exactly such exports (`(a: any) => any`), and its Wasm
 * reads the request through JavaScript callbacks. `docs/v8-crash/wasm-externref-deopt.mjs`
 * crashes the same way in its first round, and runs 500 rounds with this flag, which turns that
 * one inlining off and keeps TurboFan for everything else (`service-flags.test.ts`). It replaces
 * `--max-opt=2` (no TurboFan at all), which had avoided the crash at the cost of half the send
 * jobs' speed. Deployments on Node 20 should start the services the same way.
 */
export const SERVICE_NODE_FLAGS = ["--no-turbo-inline-js-wasm-calls", "--enable-source-maps"] as const;

/** V8 flags of a brand node's process: the same as the other services' (SERVICE_NODE_FLAGS). */
export const BRAND_NODE_FLAGS = SERVICE_NODE_FLAGS;

export interface ServiceProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Everything the process printed, for a test's failure message. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts one service as its own Node process and waits until its /health answers 200. */
export async function startServiceProcess(options: {
  name: string;
  script: string;
  env: Record<string, string>;
  port: number;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
  /** V8 flags; default SERVICE_NODE_FLAGS. */
  nodeFlags?: readonly string[];
}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? SERVICE_NODE_FLAGS), `${REPO_ROOT}${options.script}`], {
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 500) lines.shift();
      options.log?.(`[${options.name}] ${line}`);
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const base = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  let done = false;
  void exited.then(() => {
    done = true;
  });
  for (;;) {
    if (done) throw new Error(`${options.name} exited while starting:\n${lines.join("\n")}`);
    const ok = await fetch(`${base}/health`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${options.name} did not become ready:\n${lines.join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return {
    name: options.name,
    url: `${base}/graphql`,
    child,
    output: () => lines.join("\n"),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
