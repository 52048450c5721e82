import { describe, expect, it } from "vitest";
import type { AccuracyReport, AudienceAccuracy } from "./accuracy-report.js";
import { formatTable, renderAccuracyReport } from "./accuracy-report.format.js";

describe("formatTable", () => {
  it("pads every column to its widest cell and marks right-aligned columns", () => {
    const table = formatTable(
      [
        { header: "name", align: "left" },
        { header: "n", align: "right" },
      ],
      [
        ["a", "1,000,000"],
        ["longer name", "7"],
      ],
    );
    const lines = table.split("\n");
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    expect(lines[1]).toBe("|-------------|----------:|");
    expect(lines[3]).toBe("| longer name |         7 |");
  });

  it("refuses a row with the wrong number of cells", () => {
    expect(() => formatTable([{ header: "a", align: "left" }], [["1", "2"]])).toThrow(Error);
  });
});

describe("renderAccuracyReport", () => {
  const row = (audience: number): AudienceAccuracy => ({
    audience,
    draws: 100,
    empirical95: 30,
    margin95: 30,
    relativeDifference: 0,
    withinMargin: 0.95,
    expectedWithinMargin: 0.9527,
    atZero: 0,
    clampProbability: 0,
    clampLog10: -4343.3,
  });
  const report = (audiences: number[]): AccuracyReport => ({
    epsilon: 0.1,
    margin95: 30,
    variance: 199.83,
    audiences: audiences.map(row),
    attacks: [],
    answers: 0,
  });
  const header = {
    epsilon: "0.1",
    seed: "s",
    draws: 100,
    trials: 20,
    pairQuestions: 100,
    poolQuestions: 500,
  };

  it("says clamping never matters when every audience exceeds margin95", () => {
    const text = renderAccuracyReport(report([100, 1_000]), header);
    expect(text).toContain("Clamping never matters here");
    // A probability below the double range prints from its logarithm, not as 0.
    expect(text).toContain("5.0e-4344");
  });

  it("says clamping can matter for an audience within margin95", () => {
    const text = renderAccuracyReport(report([20, 1_000]), header);
    expect(text).toContain("Clamping can matter for audiences up to margin95 (20)");
  });
});
