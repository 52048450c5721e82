/** The budget period (calendar month) of `at` in the owner's time zone, as YYYY-MM. */
export function monthIn(timeZone: string, at: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(at);
  const year = parts.find((part) => part.type === "year")?.value;
  const month = parts.find((part) => part.type === "month")?.value;
  return `${year}-${month}`;
}

/** When a period ends and budgets refill: midnight of the 1st of the next month, in the owner's time zone. */
export function periodEnd(timeZone: string, period: string): Date {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (!match) throw new Error(`not a budget period: ${period}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const wall = Date.UTC(month === 12 ? year + 1 : year, month === 12 ? 0 : month, 1);
  // The instant whose wall-clock time in the zone is `wall`; a second pass settles a DST change.
  let instant = wall - offsetMs(timeZone, wall);
  instant = wall - offsetMs(timeZone, instant);
  return new Date(instant);
}

/** The zone's offset from UTC at an instant, in ms (Shanghai: +8 h). */
function offsetMs(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(at / 1000) * 1000;
}
