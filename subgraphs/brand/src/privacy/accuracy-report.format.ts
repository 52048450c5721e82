import { ATTACK_COUNT, Z95, type AccuracyReport, type AttackAccuracy } from "./accuracy-report.js";

export type Column = { header: string; align: "left" | "right" };

/** A Markdown table with every column padded to its widest cell, so it reads as plain text too. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error("every row needs one cell per column");
  }
  const widths = columns.map((column, i) =>
    Math.max(3, column.header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const pad = (text: string, i: number): string => {
    const width = widths[i] ?? 0;
    return columns[i]?.align === "right" ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: readonly string[]): string => `| ${cells.map(pad).join(" | ")} |`;
  // A rule cell spans the cell and its two spaces of padding, so the columns stay aligned.
  const rule = columns.map((column, i) => {
    const width = (widths[i] ?? 3) + 2;
    return column.align === "right" ? `${"-".repeat(width - 1)}:` : "-".repeat(width);
  });
  return [line(columns.map((column) => column.header)), `|${rule.join("|")}|`, ...rows.map(line)]
    .join("\n");
}

export type ReportHeader = {
  epsilon: string;
  seed: string;
  draws: number;
  trials: number;
  pairQuestions: number;
  poolQuestions: number;
};

/** The text `npm run privacy:report` prints, runtime excluded. */
export function renderAccuracyReport(report: AccuracyReport, header: ReportHeader): string {
  const out: string[] = [];
  const sigma = Math.sqrt(report.variance);
  out.push(
    `# Privacy layer accuracy: epsilon ${header.epsilon} per question, seed ${JSON.stringify(header.seed)}`,
    "",
    `Noise: exact discrete Laplace, a = e^-epsilon = ${fixed(Math.exp(-report.epsilon), 6)}, ` +
      `variance 2a/(1-a)^2 = ${fixed(report.variance, 2)} (sd ${fixed(sigma, 2)}); ` +
      `stated margin95 ${report.margin95}.`,
    "",
    "## 1. One released count against its stated margin95",
    "",
    `${int(header.draws)} answers per audience from releaseCount, each a distinct question ` +
      "under one secret derived from the seed; the noisy figure, threshold not applied.",
    "",
  );
  out.push(
    formatTable(
      [
        { header: "audience", align: "right" },
        { header: "empirical 95% error", align: "right" },
        { header: "margin95", align: "right" },
        { header: "difference", align: "right" },
        { header: "within margin95", align: "right" },
        { header: "expected", align: "right" },
        { header: "at 0", align: "right" },
        { header: "P(clamped)", align: "right" },
      ],
      report.audiences.map((row) => [
        int(row.audience),
        int(row.empirical95),
        int(row.margin95),
        signedPercent(row.relativeDifference),
        percent(row.withinMargin),
        percent(row.expectedWithinMargin),
        int(row.atZero),
        probability(row.clampProbability, row.clampLog10),
      ]),
    ),
    "",
    "- empirical 95% error: the smallest e with at least 95% of |noisy - exact| <= e, the " +
      "sample's counterpart of margin95; difference = (empirical - margin95) / margin95.",
    `- within margin95: share of answers with |noisy - exact| <= margin95; expected = ` +
      `1 - 2a^(m+1)/(1+a); one standard error is about ` +
      `${percent(Math.sqrt((0.05 * 0.95) / header.draws))} at ${int(header.draws)} draws.`,
    ...clampingNotes(report),
    "",
    "## 2. How far averaging could narrow one count",
    "",
    `A count of ${int(ATTACK_COUNT)}, each answer a distinct question with independent noise ` +
      "(the key merges rewrites of one question, not questions that differ in meaning). " +
      `Up to ${int(header.trials)} trials at the largest n; smaller n cut the same answers into ` +
      "more trials. theory = 1.96 * sqrt(variance of one estimate / number of estimates), the " +
      "normal approximation: good for large n, it understates the Laplace tail at n = 1 and 2.",
    "",
  );
  out.push(
    formatTable(
      [
        { header: "attack", align: "left" },
        { header: "questions", align: "right" },
        { header: "trials", align: "right" },
        { header: "empirical 95% error", align: "right" },
        { header: "theory", align: "right" },
        { header: "difference", align: "right" },
      ],
      report.attacks.map((row) => [
        row.attack === "average" ? "mean of n answers" : "mean of n/2 differences",
        int(row.questions),
        int(row.trials),
        `±${fixed(row.empirical95, 2)}`,
        `±${fixed(row.theory95, 2)}`,
        signedPercent((row.empirical95 - row.theory95) / row.theory95),
      ]),
    ),
    "",
    ...report.attacks.map((row) => `- ${meaning(row, header, report.margin95)}`),
    `- The budgets are monthly and a new month draws fresh noise for the same question, so a ` +
      `count that stays put for 12 months could be narrowed further, to about ` +
      `±${fixed(Z95 * Math.sqrt(report.variance / (12 * header.pairQuestions)), 2)} by one partner ` +
      `at its full quota every month (theory, ${int(12 * header.pairQuestions)} answers).`,
  );
  return out.join("\n");
}

function meaning(row: AttackAccuracy, header: ReportHeader, margin: number): string {
  const error = `±${fixed(row.empirical95, 1)}`;
  const pairs = row.questions / 2;
  const spent = budget(row.questions, header);
  if (row.attack === "average") {
    if (row.questions === 1) {
      return `mean of 1: one answer is within ${error} at 95% (stated margin95 ${margin}).`;
    }
    return `mean of ${row.questions}: ${spent} on this one count (distinct questions that each ` +
      `return it) narrows it to ${error} at 95%.`;
  }
  if (row.questions === 2) {
    return "difference of 1 pair: a count learned as count(t OR u) - count(u), u disjoint from " +
      `t, carries two answers' noise and is within ${error} at 95%.`;
  }
  return `differences of ${pairs} pairs: ${spent} on ${pairs} such pairs for this count ` +
    `narrows it to ${error} at 95%.`;
}

function budget(questions: number, header: ReportHeader): string {
  if (questions === header.pairQuestions) {
    return `a partner that spends its whole month's quota at one owner (${questions} questions)`;
  }
  if (questions === header.poolQuestions) {
    return "all partners together spending the owner's whole pool-wide monthly cap " +
      `(${questions} questions)`;
  }
  return `spending ${questions} questions`;
}

function clampingNotes(report: AccuracyReport): string[] {
  const notes = ["- at 0: answers clamped to 0 because the noise reached -audience or below."];
  const small = report.audiences.filter((row) => row.audience <= report.margin95);
  const smallest = report.audiences[0];
  if (small.length === 0 && smallest) {
    notes.push(
      `- Clamping never matters here: every audience (${int(smallest.audience)} and up) exceeds ` +
        `margin95 ${report.margin95}, so a clamped answer is outside the margin either way and ` +
        "neither the 95% error nor the share within margin95 can change.",
    );
  } else {
    notes.push(
      `- Clamping can matter for audiences up to margin95 (${small.map((row) => int(row.audience)).join(", ")}): ` +
        "it pulls large negative errors in, so their 95% error reads smaller than the noise's.",
    );
  }
  return notes;
}

// Below about 1e-300 a double underflows to 0, so tiny probabilities print from their logarithm.
function probability(value: number, log10: number): string {
  if (value > 0) return value.toExponential(1);
  const exponent = Math.floor(log10);
  return `${(10 ** (log10 - exponent)).toFixed(1)}e${exponent}`;
}

function int(value: number): string {
  return Number.isFinite(value) ? value.toLocaleString("en-US") : String(value);
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

function signedPercent(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (Math.abs(value) < 0.0005) return "0.0%";
  const text = `${(value * 100).toFixed(1)}%`;
  return value > 0 ? `+${text}` : text;
}
