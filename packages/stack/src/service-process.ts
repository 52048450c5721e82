import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root (packages/stack/dist -> ../../..). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * V8 flags of the gateway's and the coordinator's processes. Under sustained load on Node 20.20
 * (V8 11.3), TurboFan's deoptimisation of a builtin continuation crashes the process ("Fatal
 * error ... unreachable code" in Deoptimizer::DoComputeBuiltinContinuation): the gateway after
 * ~1,000 to 2,800 requests, the coordinator too. Capping the tiers at Sparkplug (`--max-opt=2`)
 * ran 3,800 requests without a crash at the same latency (npm run bench). Deployments on Node 20
 * should start those services the same way.
 */
export const SERVICE_NODE_FLAGS = ["--max-opt=2", "--enable-source-maps"] as const;

/**
 * V8 flags of a brand node's process: capped like the others. Uncapped, a node crashed with the
 * same "unreachable code" in DoComputeBuiltinContinuation in tests/sharing-rules-sending.e2e.test.ts
 * (2,000 members, a start-sends run every second held back by the owner's rules): 1 of 3 runs on
 * the embedded PostgreSQL here, and in two CI runs of 2026-12-03. The cap costs the send jobs
 * speed (they ran at about half the rate under it in an earlier bench); a crash costs more.
 */
export const BRAND_NODE_FLAGS = ["--max-opt=2", "--enable-source-maps"] as const;

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
