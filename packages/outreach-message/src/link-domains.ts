import { domainsOf, findLinks, type LinkDomain } from "./message-links.js";
import { scanPlaceholders } from "./message-placeholders.js";

/**
 * The distinct domains that the links of a message (and its subject) point to, for the owner to
 * check against its allow-list: each lower-cased as written (an IDN stays in its script) and as a
 * browser resolves it (`ascii`: punycode, percent-decoding, IPv4 forms; null if it cannot be
 * opened). Compare `ascii`; show `hostname`. Links are `http(s)://` URLs and bare `www.` hosts.
 */
export function linkDomains(template: { readonly message: string; readonly subject?: string | null | undefined }): LinkDomain[] {
  const texts = [template.message, template.subject ?? ""];
  return domainsOf(texts.flatMap((text) => findLinks(text, scanPlaceholders(text).tokens)));
}
