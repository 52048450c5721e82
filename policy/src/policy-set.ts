import { createHash } from "node:crypto";
import {
  policySetTextToParts,
  policyToJson,
  preparsePolicySet,
  preparseSchema,
  schemaToJson,
  validate,
  type DetailedError,
  type ValidationError,
} from "@cedar-policy/cedar-wasm/nodejs";
import { ACTIONS } from "./action.js";
import { NAMESPACE } from "./cedar-request.js";
import type { PolicySources } from "./policy-files.js";

/** Handles to a schema and policy set parsed into cedar-wasm's cache. */
export interface PreparsedPolicySet {
  schemaName: string;
  policySetId: string;
  /** Policy text by `@id`. */
  policies: Readonly<Record<string, string>>;
}

function describe(errors: readonly DetailedError[]): string {
  return errors.map((e) => (e.help ? `${e.message} (${e.help})` : e.message)).join("; ");
}

function describeValidation(errors: readonly ValidationError[]): string {
  return errors.map((e) => `${e.policyId}: ${e.error.message}`).join("; ");
}

// Cedar numbers text policies policy0, policy1...; keying the set by `@id` makes the ids in
// decisions and validation messages the ones a reader finds in policies.cedar.
function policiesById(text: string): Record<string, string> {
  const parts = policySetTextToParts(text);
  if (parts.type === "failure") throw new Error(`policies do not parse: ${describe(parts.errors)}`);
  if (parts.policy_templates.length > 0) {
    throw new Error("policies.cedar holds templates; brandpool links none, so none may exist");
  }
  const byId: Record<string, string> = {};
  for (const policy of parts.policies) {
    const json = policyToJson(policy);
    if (json.type === "failure") throw new Error(`policy does not parse: ${describe(json.errors)}`);
    const id = json.json.annotations?.["id"];
    if (!id) throw new Error(`policy without an @id annotation: ${policy.slice(0, 120)}`);
    if (Object.hasOwn(byId, id)) throw new Error(`two policies share @id("${id}")`);
    byId[id] = policy;
  }
  if (Object.keys(byId).length === 0) throw new Error("policies.cedar holds no policy");
  return byId;
}

function schemaActions(schema: string): string[] {
  const json = schemaToJson(schema);
  if (json.type === "failure") throw new Error(`schema does not parse: ${describe(json.errors)}`);
  const namespace = json.json[NAMESPACE];
  if (!namespace) throw new Error(`schema has no namespace ${NAMESPACE}`);
  return Object.keys(namespace.actions);
}

// The preparsed cache lives inside the WASM instance for the whole process and is keyed by name.
// Content-addressed names mean two sources never overwrite each other's entry and loading the same
// text twice reuses the same one.
function cacheName(kind: string, text: string): string {
  return `brandpool-${kind}-${createHash("sha256").update(text).digest("hex").slice(0, 32)}`;
}

/**
 * Parses, checks and preparses a schema and policy set. Throws unless the policies pass strict
 * validation against the schema with no warning (an impossible policy is only a warning to Cedar,
 * but here it is a mistake) and the schema's actions are exactly `ACTIONS`.
 */
export function preparse(sources: PolicySources): PreparsedPolicySet {
  const policies = policiesById(sources.policies);

  const actions = new Set(schemaActions(sources.schema));
  const missing = ACTIONS.filter((a) => !actions.has(a));
  const extra = [...actions].filter((a) => !(ACTIONS as readonly string[]).includes(a));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      "schema actions differ from ACTIONS: " +
        `missing [${missing.join(", ")}], extra [${extra.join(", ")}]`,
    );
  }

  const validation = validate({
    schema: sources.schema,
    policies: { staticPolicies: policies },
    validationSettings: { mode: "strict" },
  });
  if (validation.type === "failure") {
    throw new Error(`policies cannot be validated: ${describe(validation.errors)}`);
  }
  const problems = [...validation.validationErrors, ...validation.validationWarnings];
  if (problems.length > 0) {
    throw new Error(`policies do not validate against the schema: ${describeValidation(problems)}`);
  }

  const schemaName = cacheName("schema", sources.schema);
  const schemaAnswer = preparseSchema(schemaName, sources.schema);
  if (schemaAnswer.type === "failure") {
    throw new Error(`schema cannot be preparsed: ${describe(schemaAnswer.errors)}`);
  }
  const policySetId = cacheName("policies", JSON.stringify(policies));
  const policyAnswer = preparsePolicySet(policySetId, { staticPolicies: policies });
  if (policyAnswer.type === "failure") {
    throw new Error(`policies cannot be preparsed: ${describe(policyAnswer.errors)}`);
  }

  return { schemaName, policySetId, policies: Object.freeze({ ...policies }) };
}
