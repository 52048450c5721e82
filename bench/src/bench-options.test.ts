import { describe, expect, it } from "vitest";
import { DEFAULT_BENCH_OPTIONS, QUICK_BENCH_OPTIONS, parseBenchOptions } from "./bench-options.js";

describe("parseBenchOptions", () => {
  it("gives the full sizes of issue 11 without arguments", () => {
    const options = parseBenchOptions([]);
    expect(options).toEqual(DEFAULT_BENCH_OPTIONS);
    expect(options).toMatchObject({ quick: false, members: 1_000_000, bigMembers: 10_000_000, poolMembers: 100_000, poolBrands: 20, soak: 10_000, flagsPass: true });
  });

  it("takes a tenth of every size with --quick", () => {
    const options = parseBenchOptions(["--quick"]);
    expect(options).toMatchObject({ ...QUICK_BENCH_OPTIONS, flagsPass: true });
    expect(options.members).toBe(DEFAULT_BENCH_OPTIONS.members / 10);
    expect(options.bigMembers).toBe(DEFAULT_BENCH_OPTIONS.bigMembers / 10);
    expect(options.poolMembers).toBe(DEFAULT_BENCH_OPTIONS.poolMembers / 10);
    expect(options.poolBrands).toBe(20);
    expect(options.iterations).toBeLessThan(DEFAULT_BENCH_OPTIONS.iterations);
  });

  it("lets an explicit size win over --quick, wherever it stands", () => {
    expect(parseBenchOptions(["--members", "5000", "--quick"]).members).toBe(5_000);
    expect(parseBenchOptions(["--quick", "--pool-members=2_000"]).poolMembers).toBe(2_000);
    expect(parseBenchOptions(["--quick", "--members", "5000"]).quick).toBe(true);
  });

  it("reads --name N, --name=N and underscores", () => {
    expect(parseBenchOptions(["--big-members", "0", "--soak=1_000", "--walk-pages", "40"])).toMatchObject({ bigMembers: 0, soak: 1_000, walkPages: 40 });
  });

  it("skips the full-JIT pass with --no-flags-pass", () => {
    expect(parseBenchOptions(["--no-flags-pass"]).flagsPass).toBe(false);
    expect(parseBenchOptions(["--quick", "--no-flags-pass"]).flagsPass).toBe(false);
  });

  it("refuses unknown arguments with the usage line", () => {
    expect(() => parseBenchOptions(["--fast"])).toThrow(/unknown argument "--fast"\nusage: npm run bench/);
    expect(() => parseBenchOptions(["members"])).toThrow(/unknown argument/);
  });

  it("refuses values out of range, fractions and missing values", () => {
    expect(() => parseBenchOptions(["--members", "10"])).toThrow(/--members needs an integer from 100 to 10000000, got "10"/);
    expect(() => parseBenchOptions(["--iterations", "1.5"])).toThrow(/--iterations needs an integer/);
    expect(() => parseBenchOptions(["--pool-brands", "21"])).toThrow(/--pool-brands needs an integer from 2 to 20/);
    expect(() => parseBenchOptions(["--warmup"])).toThrow(/--warmup needs an integer from 0 to 10000, got ""/);
    expect(() => parseBenchOptions(["--soak="])).toThrow(/--soak needs an integer/);
  });
});
