import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root (packages/stack/dist -> ../../..). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

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
}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ["--enable-source-maps", `${REPO_ROOT}${options.script}`], {
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
