import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The CLI as the root script runs it: `node subgraphs/brand/dist/privacy/privacy-report.js`
// (built by `npm test` and by `npm run privacy:report`).
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const CLI = "subgraphs/brand/dist/privacy/privacy-report.js";

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPO_ROOT }, (error, stdout, stderr) => {
      resolve({ code: typeof error?.code === "number" ? error.code : error ? -1 : 0, stdout, stderr });
    });
  });
}

describe("privacy:report CLI", () => {
  it("exits 2 on a bad value and names the option, printing no report", async () => {
    const result = await runCli(["--draws", "lots"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--draws must be an integer from 100 to 10000000, got "lots"');
    expect(result.stderr).toContain("usage:");
    expect(result.stdout).toBe("");
  });

  it("exits 2 on an unknown option and names it", async () => {
    const result = await runCli(["--epsilom", "0.1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'--epsilom'");
  });

  it("prints the usage for --help", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--pair-questions");
  });

  it("prints both tables and its runtime, the same for the same seed", async () => {
    const small = ["--draws", "200", "--trials", "20", "--pair-questions", "10", "--pool-questions", "20"];
    const first = await runCli([...small, "--seed", "cli-test"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\| +1,000,000 \| +\d+ \| +30 \|/m);
    expect(first.stdout).toMatch(/^\| mean of n\/2 differences \| +20 \| +20 \|/m);
    expect(first.stdout).toMatch(/^Runtime: \d+\.\d s for 1,800 released answers\.$/m);
    const again = await runCli([...small, "--seed", "cli-test"]);
    const withoutRuntime = (text: string): string => text.replace(/^Runtime: .*$/m, "");
    expect(withoutRuntime(again.stdout)).toBe(withoutRuntime(first.stdout));
  });
});
