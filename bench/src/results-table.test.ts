import { describe, expect, it } from "vitest";
import { figureRow, failedRow } from "./figure.js";
import { formatFigureMarkdown, formatFigureTable, formatNumber, formatStageShares } from "./results-table.js";

const run = { quick: false };
const rows = [
  figureRow({ id: "count", figure: "count, a and b and c, wide", unit: "ms", target: { kind: "at-least", value: 50, of: "ratio", sizeBound: false }, ratioOf: "baseline/measured" }, { measured: 0.5, baseline: 40 }, run),
  figureRow({ id: "fan", figure: "fan-out", unit: "ms", target: { kind: "at-most", value: 1.3, of: "ratio", sizeBound: false } }, { measured: 30, baseline: 20, extra: { flags: "full JIT", stages: { jwt: 0.05, fetch: 0.8 } } }, run),
  figureRow({ id: "page", figure: "members page", unit: "ms", target: { kind: "at-most", value: 25, of: "measured", sizeBound: true } }, { measured: 12 }, { quick: true }),
  figureRow({ id: "sms", figure: "send: SMS", unit: "/s", target: { kind: "at-least", value: 2_000, of: "measured", sizeBound: false } }, { measured: 2_512.4 }, run),
  failedRow({ id: "soak", figure: "soak", unit: "processes", target: { kind: "at-most", value: 0, of: "measured", sizeBound: false } }, new Error("boom"), run),
];

describe("formatFigureTable", () => {
  const lines = formatFigureTable(rows).split("\n");

  it("has the columns figure, target, measured, baseline, ratio, met", () => {
    expect(lines[0]?.split(/\s{2,}/)).toEqual(["figure", "target", "measured", "baseline", "ratio", "met"]);
    expect(lines[1]).toMatch(/^-+( +-+){5}$/);
    expect(lines).toHaveLength(2 + rows.length);
  });

  it("prints met as yes, NO, - (size-bound in a quick run) and FAILED", () => {
    expect(lines[2]).toMatch(/0\.50 ms +40 ms +80\.00 +yes$/);
    expect(lines[3]).toMatch(/fan-out \[full JIT\] .*30 ms +20 ms +1\.50 +NO$/);
    expect(lines[4]).toMatch(/12 ms +- +- +-$/);
    expect(lines[5]).toMatch(/2,512 \/s .* yes$/);
    expect(lines[6]).toMatch(/soak .* - +- +- +FAILED$/);
  });

  it("aligns the columns: each row's met starts where the header's does", () => {
    const column = lines[0]?.lastIndexOf("met");
    for (const line of lines.slice(2)) expect(line.search(/(yes|NO|FAILED|-)$/)).toBe(column);
  });
});

describe("formatNumber", () => {
  it("keeps three significant digits for small values and separates thousands", () => {
    expect(formatNumber(0.0734, "ms")).toBe("0.073 ms");
    expect(formatNumber(7.349)).toBe("7.35");
    expect(formatNumber(48.62)).toBe("48.6");
    expect(formatNumber(351.4)).toBe("351");
    expect(formatNumber(10_000_000)).toBe("10,000,000");
    expect(formatNumber(null, "ms")).toBe("-");
    expect(formatNumber(0, "processes")).toBe("0 processes");
  });
});

describe("formatFigureMarkdown and formatStageShares", () => {
  it("writes a Markdown table with the same columns", () => {
    const md = formatFigureMarkdown(rows).split("\n");
    expect(md[0]).toBe("| figure | target | measured | baseline | ratio | met |");
    expect(md).toHaveLength(2 + rows.length);
    expect(md[3]).toContain("| fan-out [full JIT] |");
  });

  it("lists stage shares in percent", () => {
    expect(formatStageShares(rows)).toEqual(["fan: jwt 5%, fetch 80%"]);
  });
});
