import { describe, expect, it } from "vitest";
import { parseReportArgs, ReportOptionError, type PrivacyReportOptions } from "./privacy-report.options.js";

function options(args: string[]): PrivacyReportOptions {
  const parsed = parseReportArgs(args);
  if (parsed.help) throw new Error("expected options, got --help");
  return parsed.options;
}

describe("parseReportArgs", () => {
  it("defaults to the platform's epsilon, quota and cap", () => {
    expect(options([])).toEqual({
      epsilon: "0.1",
      epsilonRational: { numerator: 1n, denominator: 10n },
      draws: 20_000,
      trials: 2_000,
      pairQuestions: 100,
      poolQuestions: 500,
      seed: "brandpool",
    });
  });

  it("reads every option, in both spellings", () => {
    const args = ["--epsilon", "0.5", "--draws=500", "--trials", "40", "--pair-questions", "20"];
    expect(options([...args, "--pool-questions", "60", "--seed", "s-1"])).toEqual({
      epsilon: "0.5",
      epsilonRational: { numerator: 1n, denominator: 2n },
      draws: 500,
      trials: 40,
      pairQuestions: 20,
      poolQuestions: 60,
      seed: "s-1",
    });
  });

  it("answers --help and -h", () => {
    expect(parseReportArgs(["--help"])).toEqual({ help: true });
    expect(parseReportArgs(["-h"])).toEqual({ help: true });
  });

  it.each<[string[], RegExp]>([
    [["--draw", "5000"], /'--draw'/],
    [["--draws", "abc"], /--draws .*"abc"/],
    [["--draws", "99"], /--draws/],
    [["--draws", "1e4"], /--draws/],
    [["--draws", "20000.5"], /--draws/],
    [["--draws=-5"], /--draws/],
    [["--draws", "-5"], /--draws/],
    [["--draws", "10000001"], /--draws/],
    [["--trials", "19"], /--trials/],
    [["--epsilon", "0"], /--epsilon "0"/],
    [["--epsilon", "-0.1"], /--epsilon/],
    [["--epsilon", "1e-3"], /--epsilon "1e-3"/],
    [["--epsilon", "0.1 "], /--epsilon/],
    [["--epsilon"], /--epsilon/],
    [["--pair-questions", "101"], /--pair-questions must be even/],
    [["--pool-questions", "0"], /--pool-questions/],
    [["--pool-questions", "100002"], /--pool-questions/],
    [["--trials", "1000000", "--pool-questions", "100000"], /--trials .*--pool-questions/],
    [["--seed="], /--seed/],
    [["0.1"], /'0.1'/],
  ])("refuses %j, naming the option", (args, message) => {
    expect(() => parseReportArgs(args)).toThrow(ReportOptionError);
    expect(() => parseReportArgs(args)).toThrow(message);
  });
});
