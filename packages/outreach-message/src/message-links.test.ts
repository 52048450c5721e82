import { isAppError } from "@brandpool/errors";
import { describe, expect, it } from "vitest";
import { linkDomains } from "./link-domains.js";
import { validateOutreachMessage } from "./validate-outreach-message.js";

function refusalOf(message: string): unknown {
  try {
    validateOutreachMessage({ channel: "SMS", message });
  } catch (error) {
    if (isAppError(error)) return error.details;
    throw error;
  }
  return "accepted";
}

describe("{{coupon}} and links", () => {
  it("refuses the coupon in a link's path, query, fragment, host, user info and port", () => {
    for (const [message, position] of [
      ["Shop https://shop.example/c/{{coupon}} now", 29],
      ["Shop https://shop.example/?code={{coupon}}", 33],
      ["Shop https://shop.example/#{{coupon}}", 28],
      ["Shop https://{{coupon}}.shop.example/", 14],
      ["Shop https://{{coupon}}@shop.example/", 14],
      ["Shop http://shop.example:{{coupon}}/", 26],
      ["Shop HTTPS://SHOP.EXAMPLE/{{coupon}}", 27],
    ] as const) {
      expect(refusalOf(message), message).toEqual({ field: "message", reason: "COUPON_IN_LINK", position });
    }
  });

  it("refuses the coupon in a bare www host, its path, or right after a link with nothing between", () => {
    expect(refusalOf("Go to www.shop.example/{{coupon}}")).toEqual({ field: "message", reason: "COUPON_IN_LINK", position: 24 });
    expect(refusalOf("Go to www.{{coupon}}.example")).toMatchObject({ reason: "COUPON_IN_LINK", position: 11 });
    expect(refusalOf("https://shop.example/c/{{coupon}}")).toMatchObject({ reason: "COUPON_IN_LINK" });
    // Once filled in, the code's letters carry the link on: https://shop.example7KQ2...
    expect(refusalOf("https://shop.example{{coupon}}")).toMatchObject({ reason: "COUPON_IN_LINK", position: 21 });
    expect(refusalOf("访问https://shop.example领取{{coupon}}")).toMatchObject({ reason: "COUPON_IN_LINK" });
  });

  it("refuses the coupon after a bare host with a path, which phones link too", () => {
    expect(refusalOf("Go to shop.example/c/{{coupon}}")).toEqual({ field: "message", reason: "COUPON_IN_LINK", position: 22 });
    expect(refusalOf("访问shop.example?c={{coupon}}")).toMatchObject({ reason: "COUPON_IN_LINK", position: 18 });
  });

  it("refuses the coupon or a name after a bare host with a port, or a bare IPv4 address, which phones link too", () => {
    // Both passed as plain text before, so the code or the name reached the requester's server on a click.
    expect(refusalOf("Go to shop.example:8080/{{coupon}}")).toEqual({ field: "message", reason: "COUPON_IN_LINK", position: 25 });
    expect(refusalOf("Go to 203.0.113.7/c?n={{firstName}}")).toEqual({ field: "message", reason: "FIRST_NAME_IN_LINK", position: 23 });
    expect(refusalOf("Go to 203.0.113.7:81#{{coupon}}")).toMatchObject({ reason: "COUPON_IN_LINK" });
    expect(refusalOf("Version 2.0.1 is out, code {{coupon}}")).toBe("accepted");
    // After a broken or missing scheme (a slash or colon just before the host), phones link the host on.
    for (const message of ["Go to http:/shop.example/{{coupon}}", "Go to //shop.example/{{coupon}}", "Go to:shop.example/{{coupon}}"]) {
      expect(refusalOf(message), message).toMatchObject({ reason: "COUPON_IN_LINK" });
    }
  });

  it("accepts the coupon beside a link when a space or punctuation ends the link", () => {
    for (const message of [
      "https://shop.example/spring {{coupon}}",
      "Code {{coupon}} at https://shop.example/spring.",
      "https://shop.example/spring，券码{{coupon}}",
      "(https://shop.example/spring) {{coupon}}",
      "Visit https://shop.example/a. Code: {{coupon}}",
    ]) {
      expect(refusalOf(message), message).toBe("accepted");
    }
  });
});

describe("linkDomains", () => {
  it("returns the distinct lower-cased hosts of http(s) links and bare www hosts, in order", () => {
    expect(
      linkDomains({
        message:
          "See https://Shop.Example/a, http://shop.example:8080/b?x=1 and www.Partner.example/c. " +
          "Also https://user:pw@cdn.example#top and HTTPS://WWW.PARTNER.EXAMPLE.",
      }),
    ).toEqual([
      { hostname: "shop.example", ascii: "shop.example" },
      { hostname: "www.partner.example", ascii: "www.partner.example" },
      { hostname: "cdn.example", ascii: "cdn.example" },
    ]);
  });

  it("keeps an IDN as written and gives its punycode", () => {
    expect(linkDomains({ message: "优惠见 https://例子.中国/优惠 。" })).toEqual([
      { hostname: "例子.中国", ascii: "xn--fsqu00a.xn--fiqs8s" },
    ]);
    expect(linkDomains({ message: "https://BÜCHER.example/" })).toEqual([
      { hostname: "bücher.example", ascii: "xn--bcher-kva.example" },
    ]);
  });

  it("reads the host a browser would open, not the one a reader sees first", () => {
    expect(linkDomains({ message: "https://shop.example@evil.example/x" }).map((d) => d.hostname)).toEqual(["evil.example"]);
    expect(linkDomains({ message: "https://evil.example\\@shop.example/" }).map((d) => d.hostname)).toEqual(["evil.example"]);
    expect(linkDomains({ message: "https://%65vil.example/" })).toEqual([{ hostname: "%65vil.example", ascii: "evil.example" }]);
    expect(linkDomains({ message: "http://0x7f.1/" })).toEqual([{ hostname: "0x7f.1", ascii: "127.0.0.1" }]);
  });

  it("includes the links of an e-mail subject", () => {
    expect(linkDomains({ subject: "News from www.shop.example", message: "https://cdn.example/x" }).map((d) => d.hostname)).toEqual([
      "cdn.example",
      "www.shop.example",
    ]);
  });

  it("finds a bare host followed by a path, query or fragment", () => {
    expect(linkDomains({ message: "领取shop.example/x，或 Cdn.Example?y 或 a.b.example#z" }).map((d) => d.hostname)).toEqual([
      "shop.example",
      "cdn.example",
      "a.b.example",
    ]);
  });

  it("finds a bare host with a port and a bare IPv4 address followed by a path, listing the host without the port", () => {
    expect(linkDomains({ message: "shop.example:8080/x 或 203.0.113.7/y 或 10.0.0.1:81?z" }).map((d) => d.hostname)).toEqual(["shop.example", "203.0.113.7", "10.0.0.1"]);
    expect(linkDomains({ message: "v1.2.3/4 and 2026.12.02/x and 1.2.3.4.5" })).toEqual([]);
  });

  it("ignores text that is not a link: a bare scheme, www. alone, a bare host without a path, e.g./i.e., words ending in www", () => {
    expect(linkDomains({ message: "https:// and www. and shop.example and awww.example, e.g./i.e. and v2.0/3 and a/b.cd" })).toEqual([]);
  });
});
