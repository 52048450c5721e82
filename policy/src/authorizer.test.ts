import { describe, expect, it } from "vitest";
import { Authorizer } from "./authorizer.js";
import { toCedarRequest, type AuthorizationRequest } from "./cedar-request.js";
import type { BrandFacts, Principal, Role } from "./principal.js";
import { readPolicySources } from "./policy-files.js";
import type { Resource } from "./resource.js";

const authorizer = Authorizer.load();

const pieshop: BrandFacts = { id: "pieshop", admitted: true };
const teabar: BrandFacts = { id: "teabar", admitted: true };
const platform: Resource = { kind: "platform" };
const brand = (facts: BrandFacts): Resource => ({ kind: "brand", ...facts });
const user = (role: Role, of: BrandFacts | null, subject = "u1"): Principal => ({
  kind: "user",
  subject,
  role,
  brand: of,
});

describe("Authorizer.authorize", () => {
  it("names the forbid that stops an analyst listing another brand's members", () => {
    const decision = authorizer.authorize({
      principal: user("analyst", pieshop),
      action: "ListMembers",
      resource: brand(teabar),
    });
    expect(decision).toEqual({
      allowed: false,
      reasons: ["forbid-member-access-outside-own-brand"],
      errors: [],
    });
  });

  it("refuses registry changes to a brand admin by the platform-admin forbid", () => {
    const decision = authorizer.authorize({
      principal: user("admin", pieshop),
      action: "ManageRegistry",
      resource: platform,
    });
    expect(decision.allowed).toBe(false);
    expect(decision.reasons).toEqual([
      "forbid-registry-and-taxonomy-changes-by-non-platform-admin",
    ]);
  });

  it("refuses a principal type the action does not apply to, with the reason in errors", () => {
    const decision = authorizer.authorize({
      principal: { kind: "gateway" },
      action: "ListMembers",
      resource: brand(pieshop),
    });
    expect(decision.allowed).toBe(false);
    expect(decision.errors.join()).toMatch(/principal type `Brandpool::Gateway` is not valid/);
  });

  it("treats a subject with quotes and :: as one opaque id", () => {
    const subject = 'x" || principal == Brandpool::Gateway::"gateway';
    const listing = (resource: Resource): AuthorizationRequest => ({
      principal: user("analyst", pieshop, subject),
      action: "ListMembers",
      resource,
    });
    expect(toCedarRequest(listing(brand(pieshop)))).toMatchObject({
      ok: true,
      request: { principal: { type: "Brandpool::User", id: subject } },
    });
    expect(authorizer.authorize(listing(brand(pieshop))).allowed).toBe(true);
    expect(authorizer.authorize(listing(brand(teabar))).allowed).toBe(false);

    const posingAsGateway = authorizer.authorize({
      principal: user("analyst", pieshop, 'Brandpool::Gateway::"gateway"'),
      action: "ReadRoutingTable",
      resource: platform,
    });
    expect(posingAsGateway.allowed).toBe(false);
  });

  it("denies when the principal and the resource disagree about one brand", () => {
    const decision = authorizer.authorize({
      principal: user("analyst", pieshop),
      action: "ListMembers",
      resource: brand({ id: "pieshop", admitted: false }),
    });
    expect(decision.allowed).toBe(false);
    expect(decision.errors.join()).toMatch(/disagree/);
  });

  it("denies a principal that is malformed at run time", () => {
    const forged = { kind: "user", subject: "u1", role: "superuser", brand: null };
    const decision = authorizer.authorize({
      principal: forged as unknown as Principal,
      action: "ReadViewer",
      resource: platform,
    });
    expect(decision).toEqual({
      allowed: false,
      reasons: [],
      errors: ["user principal with an unknown role"],
    });
  });

  it("denies context that the schema does not declare, and fractions", () => {
    const base: AuthorizationRequest = {
      principal: user("analyst", pieshop),
      action: "ReadViewer",
      resource: platform,
    };
    const undeclared = authorizer.authorize({ ...base, context: { operation: "viewer" } });
    expect(undeclared.allowed).toBe(false);
    expect(undeclared.errors.join()).toMatch(/operation/);
    expect(authorizer.authorize({ ...base, context: { cap: 1.5 } })).toMatchObject({
      allowed: false,
      errors: ['context attribute "cap" is not an integer'],
    });
    expect(authorizer.authorize({ ...base, context: {} }).allowed).toBe(true);
  });

  it("denies when a policy errors even though Cedar itself would allow", () => {
    // Cedar skips an erroring policy; with this forbid erroring, Cedar's own answer is "allow".
    const { schema } = readPolicySources();
    const viewer = 'action == Brandpool::Action::"ReadViewer"';
    const policies = [
      `@id("permit-viewer") permit (principal, ${viewer}, resource);`,
      `@id("overflowing-forbid") forbid (principal, ${viewer}, resource)`,
      "when { 9223372036854775807 + 1 > 0 };",
    ].join("\n");
    const decision = Authorizer.fromSources({ schema, policies }).authorize({
      principal: user("analyst", pieshop),
      action: "ReadViewer",
      resource: platform,
    });
    expect(decision.allowed).toBe(false);
    expect(decision.errors.join()).toMatch(/^overflowing-forbid: integer overflow/);
  });
});
