import { AppError } from "@brandpool/errors";
import { linkDomains } from "@brandpool/outreach-message";

/**
 * The owner's allow-list of link domains, a node setting for now (OUTREACH_LINK_DOMAINS): the
 * owner-rules issue moves it into the owner's Cedar rules, so it is asked through this one
 * interface and nowhere else.
 */
export interface LinkAllowList {
  /** The domains of the message's links that the list does not allow (empty: all allowed). */
  refusedDomains(message: { message: string; subject: string | null }): string[];
}

/** The rule's name in errors: what the approver (or the owner's admin) would change. */
export const LINK_DOMAIN_RULE = "OUTREACH_LINK_DOMAINS";

/** A list of domains; each also allows its subdomains (`teabar.example` allows `m.teabar.example`). */
export function domainAllowList(domains: readonly string[]): LinkAllowList {
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
