import { AppError } from "@brandpool/errors";
import { linkDomains } from "@brandpool/outreach-message";
import { linkVerdict } from "@brandpool/policy";
import type { SharingRuleSet } from "@brandpool/policy";

/** Who asks, and (for a dry run) the rules to judge by instead of those in force. */
export interface LinkContext {
  requester: string;
  channel: string;
  rules?: SharingRuleSet;
}

/**
 * The owner's allow-list of link domains: its sharing rules (Cedar `LinkTo`), and for a domain
 * the rules say nothing of, the node's OUTREACH_LINK_DOMAINS setting. It is asked through this one
 * interface and nowhere else.
 */
export interface LinkAllowList {
  /** The domains of the message's links that the list does not allow (empty: all allowed). */
  refusedDomains(message: { message: string; subject: string | null }, context?: LinkContext): string[] | Promise<string[]>;
}

/** The rule's name in errors: what the approver (or the owner's admin) would change. */
export const LINK_DOMAIN_RULE = "OUTREACH_LINK_DOMAINS";

/**
 * The rules' list: a domain the rules permit (`LinkTo`) is allowed, one they forbid is refused
 * (whatever the setting says), and one they say nothing of is judged by `fallback` (the node's
 * OUTREACH_LINK_DOMAINS, the default when no rule says otherwise).
 */
export function rulesLinkAllowList(fallback: readonly string[], inForce: () => Promise<SharingRuleSet>): LinkAllowList {
  const byDefault = domainAllowList(fallback);
  return {
    async refusedDomains(message, context) {
      const links = linkDomains(message);
      if (!context || links.length === 0) return byDefault.refusedDomains(message);
      const rules = context.rules ?? (await inForce());
      const refused: string[] = [];
      for (const link of links) {
        if (link.ascii === null) {
          refused.push(link.hostname);
          continue;
        }
        const verdict = linkVerdict(rules, context.requester, link.ascii, context.channel);
        const allowed = verdict === "ALLOW" || (verdict === "UNSAID" && byDefault.refusedDomains({ message: `https://${link.ascii}/`, subject: null }).length === 0);
        if (!allowed) refused.push(link.hostname);
      }
      return refused;
    },
  };
}

/** A list of domains; each also allows its subdomains (`teabar.example` allows `m.teabar.example`). */
export function domainAllowList(domains: readonly string[]): { refusedDomains(message: { message: string; subject: string | null }): string[] } {
  const allowed = domains.map((domain) => domain.toLowerCase());
  const allows = (host: string) => allowed.some((domain) => host === domain || host.endsWith(`.${domain}`));
  return {
    refusedDomains(message) {
      // A link no browser would open (ascii null) is refused too: it cannot be on any list.
      return linkDomains(message)
        .filter((link) => link.ascii === null || !allows(link.ascii))
        .map((link) => link.hostname);
    },
  };
}

/** The typed refusal of an approval whose message links outside the owner's list. */
export function linkDomainRefusal(domains: readonly string[]): AppError {
  return new AppError(
    "BAD_INPUT",
    `The message links to ${domains.join(", ")}, not on this brand's allowed link domains (${LINK_DOMAIN_RULE}).`,
    { reason: "LINK_DOMAIN_NOT_ALLOWED", rule: LINK_DOMAIN_RULE, domains: [...domains] },
  );
}
