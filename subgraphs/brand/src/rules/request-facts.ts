import { linkDomains } from "@brandpool/outreach-message";
import type { RequestFacts } from "@brandpool/policy";
import type { IncomingRequestRecord } from "../outreach/incoming-request.repository.js";

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Local hour (0..23), minute of the day (0..1439) and weekday (1 Monday..7) of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { hour: number; minute: number; weekday: number } {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", hour: "2-digit", minute: "2-digit", weekday: "short" }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const hour = Number(part("hour"));
  return { hour, minute: hour * 60 + Number(part("minute")), weekday: WEEKDAYS[part("weekday")] ?? 1 };
}

/**
 * What the owner's rules are told of a request: the facts the requester wrote and the cap it
 * asked for. Never the audience: no count of this node's members goes into a rule's context.
 */
export function requestFacts(request: IncomingRequestRecord, timeZone: string, now: Date = new Date()): RequestFacts {
  const start = localTime(request.sendAfter, timeZone);
  const domains = linkDomains({ message: request.message, subject: request.subject }).map((link) => (link.ascii ?? link.hostname).toLowerCase());
  return {
    requestId: request.requestId,
    requester: request.requesterBrand,
    channel: request.channel,
    purpose: request.purpose,
    requestedCap: request.maxRecipients,
    linkDomains: domains,
    sendAfterHour: start.hour,
    sendAfterWeekday: start.weekday,
    hoursUntilExpiry: Math.max(0, Math.floor((request.expiresAt.getTime() - now.getTime()) / 3_600_000)),
    targetCount: request.targets.length,
  };
}
