import { contactLimits, sendForbiddenBy } from "@brandpool/policy";
import type { SendRules } from "../sending/send-settings.js";
import { localTime } from "./request-facts.js";
import type { SharingRulesService } from "./sharing-rules.service.js";

/** How far ahead the rules' quiet time is looked through, and in what steps. */
const LOOK_AHEAD_MS = 7 * 86_400_000;
const STEP_MS = 5 * 60_000;

/**
 * The owner's rules in sending: a forbidden `Send` at a local minute is quiet time for that
 * request (added to the node's quiet hours), a forbidden `Contact` at a window and a number of
 * earlier partner messages is a lower frequency cap. Both read the rules in force at each check,
 * so a change applies to sends already under way at their next batch.
 */
export function sendRules(rules: SharingRulesService, timeZone: string): SendRules {
  const forbidden = async (set: Awaited<ReturnType<SharingRulesService["inForce"]>>, subject: Parameters<SendRules["quietUntil"]>[0], at: Date) => {
    const local = localTime(at, timeZone);
    return sendForbiddenBy(set, subject.requester, subject.requestId, { channel: subject.channel, localMinute: local.minute, weekday: local.weekday }).length > 0;
  };
  return {
    async quietUntil(subject, at) {
      const set = await rules.inForce();
      if (!(await forbidden(set, subject, at))) return null;
      // The next 5-minute mark of the clock at which the rules allow it (a week of quiet at most:
      // by then the request has expired anyway).
      const first = Math.ceil((at.getTime() + 1) / STEP_MS) * STEP_MS;
      for (let next = first; next <= at.getTime() + LOOK_AHEAD_MS; next += STEP_MS) {
        if (!(await forbidden(set, subject, new Date(next)))) return new Date(next);
      }
      return new Date(at.getTime() + LOOK_AHEAD_MS);
    },
    async frequencyLimits(subject, upTo) {
      return contactLimits(await rules.inForce(), subject.requester, subject.requestId, subject.channel, upTo);
    },
  };
}
