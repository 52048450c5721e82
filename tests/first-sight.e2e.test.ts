import { spawn } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo, Server } from "node:net";
import { REPO_ROOT } from "@brandpool/stack";
import { afterEach, describe, expect, it } from "vitest";

/** Runs one of the built CLIs as a newcomer would (`npm start`, `npm run token`), to its exit. */
function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${REPO_ROOT}${script}`, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function holdPort(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => resolve(server));
  });
}

let held: Server[] = [];
afterEach(async () => {
  await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  held = [];
});

describe("npm start when a port is taken", () => {
  it("stops with one line naming the port and the variable that moves it, before starting anything (no stack trace)", async () => {
    // Bad input: the gateway's port held by another program, on 127.0.0.1 and on every address.
    for (const host of ["127.0.0.1", "0.0.0.0"]) {
      const server = await holdPort(host);
      held.push(server);
      const port = (server.address() as AddressInfo).port;
      const result = await run("packages/stack/dist/start.js", [], { PORT: String(port), DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" });
      expect(result.code, result.stderr).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`Port ${port} is already in use (the gateway)`);
      expect(lines[0]).toMatch(/another PORT, e\.g\. PORT=\d+ npm start/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      // Nothing was started: no database was asked for (the URL points nowhere) and nothing printed.
      expect(result.stdout).toBe("");
    }
  });

  it("names the node's port as PORT + 101 when that one is taken", async () => {
    // The ports below it (the gateway's PORT, the coordinator's...) are free when chosen, but
    // another test's services may take one meanwhile: then start names that one, and the test
    // holds another port and tries again (at most five times).
    for (let attempt = 1; ; attempt++) {
      const server = await holdPort("127.0.0.1");
      held.push(server);
      const nodePort = (server.address() as AddressInfo).port;
      const result = await run("packages/stack/dist/start.js", [], { PORT: String(nodePort - 101), DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" });
      expect(result.code, result.stderr).toBe(1);
      const named = /^Port (\d+) is already in use/.exec(result.stderr.trim());
      if (named && Number(named[1]) < nodePort && attempt < 5) continue;
      expect(result.stderr.trim()).toMatch(new RegExp(`^Port ${nodePort} is already in use \\(pieshop's node \\(PORT \\+ 101\\)\\)`));
      return;
    }
  });

  it("names EMBEDDED_PG_PORT when the embedded PostgreSQL's port is taken", async () => {
    const server = await holdPort("127.0.0.1");
    held.push(server);
    const port = (server.address() as AddressInfo).port;
    const result = await run("packages/stack/dist/start.js", [], { EMBEDDED_PG_PORT: String(port), PORT: "4871" });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr.trim()).toBe(`Port ${port} is already in use (the embedded PostgreSQL): stop what holds it, or start with another EMBEDDED_PG_PORT, e.g. EMBEDDED_PG_PORT=${port + 1} npm start`);
  });
});

describe("npm run token with bad input", () => {
  it("refuses an unknown role and lists the valid ones (exit 2, nothing on stdout)", async () => {
    for (const args of [["--role", "superuser", "--brand", "pieshop"], ["--role", "Analyst", "--brand", "pieshop"], ["--brand", "pieshop"]]) {
      const result = await run("packages/stack/dist/token.js", args, {});
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("analyst, approver, admin, auditor, platform-admin");
      if (args.includes("--role")) expect(result.stderr).toContain(`Unknown role "${args[1]}"`);
    }
  });

  it("refuses an unknown brand and lists the demo brands, whether or not npm start has run", async () => {
    for (const brand of ["nosuchbrand", "PIESHOP", "pie shop"]) {
      const result = await run("packages/stack/dist/token.js", ["--role", "analyst", "--brand", brand], {});
      expect(result.code, brand).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`Unknown brand ${JSON.stringify(brand)}: the demo brands are pieshop, teabar, stylehub.`);
    }
  });
});
