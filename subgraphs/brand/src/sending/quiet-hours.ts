/** Local hours of the owner's time zone during which nothing is sent; null: none (the demo). */
export type QuietHours = { startMinute: number; endMinute: number; timeZone: string } | null;

/** From the node's `QUIET_HOURS` setting (`21:00-09:00` or `none`) and its time zone. */
export function parseQuietHours(setting: string, timeZone: string): QuietHours {
  if (setting === "none") return null;
  const match = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(setting);
  if (!match) throw new Error("QUIET_HOURS is not HH:MM-HH:MM or none");
  const [, sh, sm, eh, em] = match.map(Number) as [number, number, number, number, number];
  const startMinute = sh * 60 + sm;
  const endMinute = eh * 60 + em;
  return startMinute === endMinute ? null : { startMinute, endMinute, timeZone };
}

/** Minutes since local midnight, and the seconds into that minute, of `at` in `timeZone`. */
function localClock(at: Date, timeZone: string): { minute: number; second: number } {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(at);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { minute: value("hour") * 60 + value("minute"), second: value("second") };
}

/**
 * When the quiet hours that `at` falls in end, or null when `at` is outside them (sending may go
 * on). The window may wrap midnight (21:00-09:00). Counted in local wall-clock minutes: on a day
 * the clocks change the end may be an hour off, never inside the window's middle.
 */
export function quietUntil(quiet: QuietHours, at: Date): Date | null {
  if (!quiet) return null;
  const { minute, second } = localClock(at, quiet.timeZone);
  const { startMinute, endMinute } = quiet;
  const inside = startMinute < endMinute ? minute >= startMinute && minute < endMinute : minute >= startMinute || minute < endMinute;
  if (!inside) return null;
  const minutesLeft = (endMinute - minute + 24 * 60) % (24 * 60);
  const startOfMinute = at.getTime() - second * 1000 - at.getUTCMilliseconds();
  return new Date(startOfMinute + minutesLeft * 60_000);
}
