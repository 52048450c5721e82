import type { PlaceholderToken } from "./message-placeholders.js";

/** A link in a message; `start` and `end` are UTF-16 indexes, `host` the authority's host as written. */
export type MessageLink = {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly host: string;
  /** Placeholders that are part of the link once filled in. */
  readonly placeholders: readonly PlaceholderToken[];
};

/** A link's domain: lower-cased as written (IDN kept), and as a browser resolves it. */
export type LinkDomain = {
  readonly hostname: string;
  /** Punycode (`xn--`), percent-decoding and IPv4 forms applied; null when no browser would open it. */
  readonly ascii: string | null;
};

const START = /https?:\/\/|www\./giy;
// A host without scheme or www, followed by a path, query or fragment: phones link
// `shop.example/c/x` too, and with a port (`shop.example:8080/x`) or as a dotted IPv4 address
// (`203.0.113.7/x`). ASCII labels only, so Chinese text just before it stays out of the host.
const BARE_HOST = /(?:(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}|(?:[0-9]{1,3}\.){3}[0-9]{1,3})(?::[0-9]{1,5})?(?=[/?#])/y;
// RFC 3986 characters, plus letters, digits and marks of any script: an IDN host or an IRI path
// (`https://例子.中国/优惠`). CJK punctuation (，。！) and white space end a link.
const URL_CHAR = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%\p{L}\p{N}\p{M}]/u;
// A host right after a letter, digit, dot, hyphen, underscore or @ is part of a word or an
// address; after anything else (a space, CJK text, a slash or colon of a broken scheme such as
// `http:/` or `//`) phones link it.
const BEFORE_BARE_HOST = /[A-Za-z0-9.\-_@]/;
const TRAILING = /[.,;:!?'"*]$/;

/**
 * The `http(s)://` URLs, bare `www.` hosts and bare hosts followed by a path (`shop.example/x`) of
 * a message, as a phone or mail client would link them. A placeholder touching a link is part of it, since its filled-in text (a code, a name)
 * carries the link on; so `https://shop.example/c/{{coupon}}` and `www.{{coupon}}.example` are
 * links that hold the coupon. Trailing sentence punctuation is not part of a link.
 */
export function findLinks(text: string, tokens: readonly PlaceholderToken[]): MessageLink[] {
  const links: MessageLink[] = [];
  const tokenAt = new Map(tokens.map((t) => [t.start, t]));
  let i = 0;
  while (i < text.length) {
    const start = startOfLink(text, i);
    if (start === null) {
      i += 1;
      continue;
    }
    const schemeEnd = start.schemeEnd;
    let end = schemeEnd;
    const placeholders: PlaceholderToken[] = [];
    while (end < text.length) {
      const token = tokenAt.get(end);
      if (token) {
        placeholders.push(token);
        end = token.end;
        continue;
      }
      const cp = text.codePointAt(end) ?? 0;
      const c = String.fromCodePoint(cp);
      if (!URL_CHAR.test(c)) break;
      end += c.length;
    }
    end = trimTrailing(text, i, end, placeholders);
    if (end > start.contentStart) {
      const linkText = text.slice(i, end);
      links.push({ start: i, end, text: linkText, host: hostOf(text.slice(schemeEnd, end)), placeholders });
    }
    i = Math.max(end, i + 1);
  }
  return links;
}

function startOfLink(text: string, i: number): { schemeEnd: number; contentStart: number } | null {
  START.lastIndex = i;
  const match = START.exec(text);
  if (match && match[0].toLowerCase() !== "www.") {
    return { schemeEnd: i + match[0].length, contentStart: i + match[0].length };
  }
  const before = i > 0 ? text[i - 1] ?? "" : "";
  if (before !== "" && BEFORE_BARE_HOST.test(before)) return null;
  if (match) return { schemeEnd: i, contentStart: i + match[0].length };
  BARE_HOST.lastIndex = i;
  const host = BARE_HOST.exec(text);
  return host ? { schemeEnd: i, contentStart: i + host[0].length } : null;
}

function trimTrailing(text: string, start: number, end: number, placeholders: PlaceholderToken[]): number {
  let e = end;
  for (;;) {
    if (placeholders.some((p) => p.end === e)) return e;
    const last = text.slice(e - 1, e);
    if (TRAILING.test(last)) {
      e -= 1;
    } else if (last === ")" && count(text.slice(start, e), "(") < count(text.slice(start, e), ")")) {
      e -= 1;
    } else {
      return e;
    }
  }
}

function count(text: string, c: string): number {
  return text.split(c).length - 1;
}

/** The host of `authority-and-rest` as written: before the path, without user info or port. */
function hostOf(rest: string): string {
  // Browsers read `\` as `/` in http(s) URLs: `https://evil.example\@shop.example` goes to evil.
  const authority = rest.split(/[/?#\\]/, 1)[0] ?? "";
  const host = authority.slice(authority.lastIndexOf("@") + 1);
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1 || undefined);
  return host.replace(/:[0-9]*$/, "");
}

/** The distinct domains that a message's links point to, lower-cased, in order of first use. */
export function domainsOf(links: readonly MessageLink[]): LinkDomain[] {
  const seen = new Map<string, LinkDomain>();
  for (const link of links) {
    const hostname = link.host.toLowerCase().replace(/\.$/, "");
    if (hostname === "" || seen.has(hostname)) continue;
    seen.set(hostname, { hostname, ascii: asciiHost(hostname) });
  }
  return [...seen.values()];
}

function asciiHost(hostname: string): string | null {
  try {
    const ascii = new URL(`http://${hostname}/`).hostname;
    return ascii === "" ? null : ascii.replace(/\.$/, "");
  } catch {
    return null;
  }
}
