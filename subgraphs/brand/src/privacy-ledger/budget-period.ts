// Building an Intl.DateTimeFormat costs more than formatting with it: one per time zone.
const formats = new Map<string, Intl.DateTimeFormat>();

/** The budget period (calendar month) of `at` in the owner's time zone, as YYYY-MM. */
export function monthIn(timeZone: string, at: Date = new Date()): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" });
    if (formats.size < 64) formats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const year = parts.find((part) => part.type === "year")?.value;
  const month = parts.find((part) => part.type === "month")?.value;
  return `${year}-${month}`;
}

/**
 * When a period ends and budgets refill: the first instant that belongs to the next month in the
 * owner's time zone (usually midnight of the 1st; later where a DST change skips that midnight).
 */
export function periodEnd(timeZone: string, period: string): Date {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (!match) throw new Error(`not a budget period: ${period}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const midnightUtc = Date.UTC(month === 12 ? year + 1 : year, month === 12 ? 0 : month, 1);
  // Every zone is within 14 hours of UTC: the change of month lies in this window. Search it
  // for the first millisecond whose month is not `period` (months only move forward in time).
  let before = midnightUtc - 15 * 3_600_000;
  let after = midnightUtc + 15 * 3_600_000;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (monthIn(timeZone, new Date(middle)) === period) before = middle;
    else after = middle;
  }
  return new Date(after);
}
