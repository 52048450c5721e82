import { describe, expect, it } from "vitest";
import { failedRow, figureRow, meets, parseServerTiming, stageShares } from "./figure.js";
import type { FigureSpec } from "./figure.js";

const full = { quick: false };
const quick = { quick: true };
const p95Spec: FigureSpec = { id: "node-stored", figure: "node estimate, stored answer", unit: "ms", target: { kind: "at-most", value: 4, of: "measured", sizeBound: true } };
const ratioSpec: FigureSpec = { id: "fan-out", figure: "fan-out vs bare", unit: "ms", target: { kind: "at-most", value: 1.3, of: "ratio", sizeBound: false }, baselineIs: "bare p95" };
const speedUp: FigureSpec = { id: "count", figure: "count", unit: "ms", target: { kind: "at-least", value: 50, of: "ratio", sizeBound: false }, ratioOf: "baseline/measured" };

describe("figureRow", () => {
  it("has the shape of a results.json element", () => {
    const row = figureRow(ratioSpec, { measured: 26, baseline: 20 }, full);
    expect(row).toMatchObject({ id: "fan-out", figure: "fan-out vs bare", target: "×baseline ≤ 1.3", measured: 26, baseline: 20, ratio: 1.3, met: true, unit: "ms", ratioOf: "measured/baseline", baselineIs: "bare p95" });
    expect(Object.keys(row)).toEqual(expect.arrayContaining(["figure", "target", "measured", "baseline", "ratio", "met"]));
  });

  it("meets an at-most target on the measured value, inclusive", () => {
    expect(figureRow(p95Spec, { measured: 4 }, full)).toMatchObject({ met: true, ratio: null, baseline: null, target: "≤ 4 ms" });
    expect(figureRow(p95Spec, { measured: 4.01 }, full).met).toBe(false);
  });

  it("reports a size-bound target with met null in a quick run, and a ratio target as in a full one", () => {
    expect(figureRow(p95Spec, { measured: 1 }, quick).met).toBeNull();
    expect(figureRow(ratioSpec, { measured: 30, baseline: 20 }, quick)).toMatchObject({ ratio: 1.5, met: false });
  });

  it("forms a speed-up as baseline over measured", () => {
    expect(figureRow(speedUp, { measured: 0.5, baseline: 40 }, full)).toMatchObject({ ratio: 80, met: true, target: "baseline/measured ≥ 50" });
    expect(figureRow(speedUp, { measured: 2, baseline: 40 }, full)).toMatchObject({ ratio: 20, met: false });
  });

  it("has met null, never a made-up figure, when there is nothing to compare", () => {
    expect(figureRow(speedUp, { measured: null, baseline: 40, extra: { note: "not available" } }, full)).toMatchObject({ measured: null, ratio: null, met: null, note: "not available" });
    expect(figureRow(ratioSpec, { measured: 20, baseline: null }, full)).toMatchObject({ ratio: null, met: null, ratioOf: null });
    expect(figureRow(ratioSpec, { measured: Number.NaN, baseline: 3 }, full)).toMatchObject({ measured: null, met: null });
    expect(figureRow(ratioSpec, { measured: 3, baseline: 0 }, full)).toMatchObject({ ratio: null, met: null });
  });

  it("keeps an error and then never says met", () => {
    const row = failedRow(p95Spec, new Error("the call failed (500)"), full);
    expect(row).toMatchObject({ measured: null, met: null, error: "the call failed (500)" });
    expect(figureRow(p95Spec, { measured: 1, extra: { error: "3 failed requests" } }, full).met).toBeNull();
  });

  it("meets an at-least target such as a throughput", () => {
    expect(meets({ kind: "at-least", value: 2_000, of: "measured", sizeBound: false }, 2_000)).toBe(true);
    expect(meets({ kind: "at-least", value: 2_000, of: "measured", sizeBound: false }, 1_999)).toBe(false);
    expect(meets({ kind: "at-most", value: 0, of: "measured", sizeBound: false }, 0)).toBe(true);
  });
});

describe("parseServerTiming", () => {
  it("reads each stage's duration in ms", () => {
    expect(parseServerTiming("jwt;dur=0.4, cedar;dur=1.25, node-count;dur=0.7, total;dur=9")).toEqual({ jwt: 0.4, cedar: 1.25, "node-count": 0.7, total: 9 });
  });

  it("skips entries without a duration and adds up repeated names", () => {
    expect(parseServerTiming('cache;desc="hit", fetch;dur=2, fetch;dur=3')).toEqual({ fetch: 5 });
    expect(parseServerTiming(null)).toEqual({});
    expect(parseServerTiming("")).toEqual({});
  });
});

describe("stageShares", () => {
  it("divides each stage's mean by the mean total", () => {
    expect(stageShares([{ jwt: 1, fetch: 6, total: 10 }, { jwt: 1, fetch: 8, total: 10 }], 12)).toEqual({ jwt: 0.1, fetch: 0.7 });
  });

  it("falls back on the measured mean without a total stage, and is undefined without headers", () => {
    expect(stageShares([{ count: 2 }, {}], 8)).toEqual({ count: 0.25 });
    expect(stageShares([{}, {}], 8)).toBeUndefined();
  });
});
