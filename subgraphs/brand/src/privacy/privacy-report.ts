#!/usr/bin/env node
// `npm run privacy:report`: the privacy layer's accuracy report. Exit codes: 0 printed, 2 a bad
// option (named on stderr).
import { performance } from "node:perf_hooks";
import { buildAccuracyReport, reportMechanism } from "./accuracy-report.js";
import { renderAccuracyReport } from "./accuracy-report.format.js";
import { parseReportArgs, REPORT_USAGE, ReportOptionError } from "./privacy-report.options.js";

function main(args: readonly string[]): number {
  let parsed;
  try {
    parsed = parseReportArgs(args);
  } catch (error) {
    if (!(error instanceof ReportOptionError)) throw error;
    process.stderr.write(`privacy:report: ${error.message}\n${REPORT_USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${REPORT_USAGE}\n`);
    return 0;
  }
  const { options } = parsed;
  const started = performance.now();
  const mechanism = reportMechanism(options.seed, options.epsilonRational);
  const report = buildAccuracyReport(mechanism, options);
  const seconds = (performance.now() - started) / 1000;
  const runtime = `Runtime: ${seconds.toFixed(1)} s for ${report.answers.toLocaleString("en-US")} released answers.`;
  process.stdout.write(`${renderAccuracyReport(report, options)}\n\n${runtime}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
