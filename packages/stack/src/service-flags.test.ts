import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BRAND_NODE_FLAGS, REPO_ROOT, SERVICE_NODE_FLAGS } from "./service-process.js";

// The V8 crash of issue 11, target 5 (docs/v8-crash/README.md): a TurboFan-optimised function
// deoptimised lazily during its inlined call into a Wasm export that returns an externref.
const REPRO = `${REPO_ROOT}docs/v8-crash/wasm-externref-deopt.mjs`;

const run = (flags: readonly string[]) =>
  spawnSync(process.execPath, ["--allow-natives-syntax", ...flags, REPRO], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ROUNDS: "200" }, timeout: 60_000 });

describe("the services' V8 flags", () => {
  it("run the reproduction of the deoptimiser crash to its end, with TurboFan on", () => {
    const capped = [...SERVICE_NODE_FLAGS, ...BRAND_NODE_FLAGS].filter((flag) => flag.startsWith("--max-opt"));
    expect(capped).toEqual([]);
    const result = run(SERVICE_NODE_FLAGS);
    expect({ status: result.status, signal: result.signal, stdout: result.stdout.trim() }).toEqual({ status: 0, signal: null, stdout: "no crash in 200 rounds" });
  });

  // Without the flag the same script must crash, or the test above proves nothing. Only V8 11.3
  // (Node 20) is known to have the bug; on another V8 this says whether the flag is still needed.
  it.runIf(process.versions.v8.startsWith("11.3."))("crash without --no-turbo-inline-js-wasm-calls on Node 20's V8 (bad input: the flags taken out)", () => {
    const result = run(SERVICE_NODE_FLAGS.filter((flag) => flag !== "--no-turbo-inline-js-wasm-calls"));
    expect(result.signal).toBe("SIGTRAP");
    expect(result.stderr + result.stdout).toMatch(/unreachable code/);
  });
});
