import type { FigureRow } from "./figure.js";

/** A number as the table prints it: three significant digits for small values, thousands separated for large. */
export function formatNumber(value: number | null, unit = ""): string {
  if (value === null) return "-";
  const abs = Math.abs(value);
  const text = Number.isInteger(value) ? value.toLocaleString("en-US") : abs >= 1_000 ? Math.round(value).toLocaleString("en-US") : abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : abs >= 1 ? value.toFixed(2) : value.toPrecision(2);
  return unit ? `${text} ${unit}` : text;
}

function metText(row: FigureRow): string {
  if (row.error !== undefined) return "FAILED";
  if (row.met === null) return row.measured === null ? "n/a" : "-";
  return row.met ? "yes" : "NO";
}

/** The rows as an aligned plain-text table: figure, target, measured, baseline, ratio, met. */
export function formatFigureTable(rows: readonly FigureRow[]): string {
  const header = ["figure", "target", "measured", "baseline", "ratio", "met"];
  const numeric = [false, false, true, true, true, false];
  const body = rows.map((row) => [
    `${row.figure}${row.flags ? ` [${row.flags}]` : ""}`,
    row.target,
    formatNumber(row.measured, row.measured === null ? "" : row.unit),
    formatNumber(row.baseline, row.baseline === null ? "" : row.unit),
    row.ratio === null ? "-" : row.ratio.toFixed(row.ratio >= 100 ? 0 : 2),
    metText(row),
  ]);
  const widths = header.map((title, c) => Math.max(title.length, ...body.map((cells) => (cells[c] as string).length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (numeric[c] ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

/** The same rows as a Markdown table (docs/benchmarks.md). */
export function formatFigureMarkdown(rows: readonly FigureRow[]): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  const lines = ["| figure | target | measured | baseline | ratio | met |", "| --- | --- | ---: | ---: | ---: | --- |"];
  for (const row of rows) {
    lines.push(
      `| ${escape(`${row.figure}${row.flags ? ` [${row.flags}]` : ""}`)} | ${escape(row.target)} | ${formatNumber(row.measured, row.measured === null ? "" : row.unit)} | ${formatNumber(row.baseline, row.baseline === null ? "" : row.unit)} | ${row.ratio === null ? "-" : row.ratio.toFixed(2)} | ${metText(row)} |`,
    );
  }
  return lines.join("\n");
}

/** One line per row with stage shares: `figure: jwt 4%, cedar 9%, ...`. */
export function formatStageShares(rows: readonly FigureRow[]): string[] {
  return rows
    .filter((row) => row.stages && Object.keys(row.stages).length > 0)
    .map((row) => `${row.id}: ${Object.entries(row.stages ?? {}).map(([stage, share]) => `${stage} ${(share * 100).toFixed(0)}%`).join(", ")}`);
}
