import { formatPolicies, validate } from "@cedar-policy/cedar-wasm/nodejs";
import { describe, expect, it } from "vitest";
import { ACTIONS } from "./action.js";
import { Authorizer } from "./authorizer.js";
import { readPolicySources } from "./policy-files.js";

const sources = readPolicySources();

describe("shipped schema and policies", () => {
  it("validate against the schema in strict mode with no warning", () => {
    // Cedar's own validator, without going through the authorizer, so this holds on its own.
    const answer = validate({
      schema: sources.schema,
      policies: { staticPolicies: sources.policies },
      validationSettings: { mode: "strict" },
    });
    expect(answer).toMatchObject({ type: "success", validationErrors: [], validationWarnings: [] });
  });

  it("are kept in the shape of Cedar's formatter", () => {
    // As in cedar-policy/cedar-examples: one layout, so diffs show meaning, not whitespace.
    const answer = formatPolicies({
      policyText: sources.policies,
      lineWidth: 100,
      indentWidth: 2,
    });
    expect(answer).toEqual({ type: "success", formatted_policy: sources.policies });
  });

  it("load, with every policy named by a distinct @id", () => {
    const ids = Object.keys(Authorizer.load().policies);
    expect(ids.length).toBe((sources.policies.match(/^@id\(/gm) ?? []).length);
    expect(ids).toContain("forbid-registry-and-taxonomy-changes-by-non-platform-admin");
  });

  it("are parsed once: load returns the same authorizer every time", () => {
    expect(Authorizer.load()).toBe(Authorizer.load());
  });
});

describe("loading refuses", () => {
  const rule = (body: string, id = "extra") => `${sources.policies}\n@id("${id}")\n${body}\n`;

  it("a policy that reads an attribute the schema lacks", () => {
    const policies = rule(
      "permit (principal is Brandpool::User, " +
        'action == Brandpool::Action::"ListMembers", resource) ' +
        "when { principal.brnd == resource };",
    );
    expect(() => Authorizer.fromSources({ ...sources, policies })).toThrow(/brnd/);
  });

  it("a policy that can never apply (a validation warning to Cedar)", () => {
    const policies = rule(
      "permit (principal is Brandpool::Node, " +
        'action == Brandpool::Action::"ManageRegistry", resource);',
    );
    expect(() => Authorizer.fromSources({ ...sources, policies })).toThrow(/extra/);
  });

  it("a policy without an @id", () => {
    const anonymous = 'permit (principal, action == Brandpool::Action::"ReadViewer", resource);';
    const policies = `${sources.policies}\n${anonymous}\n`;
    expect(() => Authorizer.fromSources({ ...sources, policies })).toThrow(/@id/);
  });

  it("two policies with one @id", () => {
    const policies = rule(
      'permit (principal, action == Brandpool::Action::"ReadViewer", resource);',
      "gateway-reads-routing-table",
    );
    expect(() => Authorizer.fromSources({ ...sources, policies })).toThrow(/share/);
  });

  it("a schema whose actions differ from ACTIONS", () => {
    const schema = sources.schema.replace("ReadViewer, ", "");
    expect(schema).not.toBe(sources.schema);
    expect(() => Authorizer.fromSources({ schema, policies: sources.policies })).toThrow(
      /missing \[ReadViewer\]/,
    );
    expect(ACTIONS).toContain("ReadViewer");
  });
});
