import { describe, expect, it } from "vitest";
import { domainAllowList, linkDomainRefusal } from "./link-allow-list.js";

const message = (text: string, subject: string | null = null) => ({ message: text, subject });

describe("domainAllowList", () => {
  const list = domainAllowList(["pie.example", "teabar.example"]);

  it("allows links to a listed domain and its subdomains", () => {
    expect(list.refusedDomains(message("Code {{coupon}}: https://pie.example/a and www.m.teabar.example/b"))).toEqual([]);
  });

  it("names each domain off the list once, in the message and the subject", () => {
    expect(list.refusedDomains(message("https://evil.example/x https://evil.example/y https://pie.example", "see https://tracker.example.com"))).toEqual([
      "evil.example",
      "tracker.example.com",
    ]);
  });

  it("does not take a look-alike for a listed domain", () => {
    expect(list.refusedDomains(message("https://pie.example.evil.example/ https://notpie.example/"))).toEqual(["pie.example.evil.example", "notpie.example"]);
  });

  it("refuses every link when the list is empty (the default)", () => {
    expect(domainAllowList([]).refusedDomains(message("https://pie.example/a"))).toEqual(["pie.example"]);
    expect(domainAllowList([]).refusedDomains(message("No links, code {{coupon}}"))).toEqual([]);
  });

  it("says which rule refused, as a typed error", () => {
    expect(linkDomainRefusal(["evil.example"])).toMatchObject({
      code: "BAD_INPUT",
      details: { reason: "LINK_DOMAIN_NOT_ALLOWED", rule: "OUTREACH_LINK_DOMAINS", domains: ["evil.example"] },
    });
  });
});
