import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  policySetTextToParts,
  preparsePolicySet,
  preparseSchema,
  statefulIsAuthorized,
  policyToJson,
  validate,
  type AuthorizationAnswer,
  type Context,
  type DetailedError,
  type EntityJson,
} from "@cedar-policy/cedar-wasm/nodejs";
import { AppError } from "@brandpool/errors";

/** The Cedar namespace of sharing-rules.cedarschema. */
export const SHARING_RULES_NAMESPACE = "SharingRules";

export const SHARING_RULES_SCHEMA = readFileSync(new URL("../sharing-rules.cedarschema", import.meta.url), "utf8");

/** The longest policy text an owner may save. */
export const MAX_SHARING_RULES_CHARACTERS = 64 * 1024;

/** Actions whose permit policies would loosen a node default: only forbid is allowed for them. */
const TIGHTEN_ONLY = ["Send", "Contact"] as const;

/** One problem with a submitted policy set, as Cedar (or the tighten-only check) words it. */
export interface PolicyProblem {
  message: string;
  help: string | null;
  policyId: string | null;
  /** Offsets into the submitted text, and the 1-based line and column of `start`. */
  start: number | null;
  end: number | null;
  line: number | null;
  column: number | null;
}

/** A validated set of an owner's rules, policy text by `@id`. */
export interface SharingRuleSet {
  readonly text: string;
  /** SHA-256 (hex) of the exact text. */
  readonly hash: string;
  readonly policies: Readonly<Record<string, string>>;
}

export type RequestDecision = "APPROVE" | "DECLINE" | "PENDING";

/** What a rule may know of a request: its own facts, never the owner's audience. */
export interface RequestFacts {
  requestId: string;
  requester: string;
  channel: string;
  purpose: string;
  requestedCap: number;
  linkDomains: readonly string[];
  sendAfterHour: number;
  sendAfterWeekday: number;
  hoursUntilExpiry: number;
  targetCount: number;
}

export function policyTextHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function problem(text: string, error: DetailedError, policyId: string | null): PolicyProblem {
  const at = error.sourceLocations?.[0];
  const where = at ? position(text, at.start) : null;
  return {
    message: error.message,
    help: error.help,
    policyId,
    start: at?.start ?? null,
    end: at?.end ?? null,
    line: where?.line ?? null,
    column: where?.column ?? null,
  };
}

function invalid(problems: PolicyProblem[]): AppError {
  const first = problems[0];
  const where = first?.line ? ` (line ${first.line}, column ${first.column})` : "";
  return new AppError("INVALID_POLICY", `${first?.message ?? "The policy set is not valid."}${where}`, { problems });
}

function custom(text: string, message: string, start: number, length: number, policyId: string | null): PolicyProblem {
  return { message, help: null, policyId, start, end: start + length, line: position(text, start).line, column: position(text, start).column };
}

/**
 * Parses and validates an owner's rules against the sharing rules' schema, strictly (a policy
 * Cedar calls impossible is a mistake here too). Every policy needs a unique `@id`, so that a
 * decision names the rule that made it; Send and Contact take forbid policies only (the rules
 * may tighten quiet hours and frequency caps, never loosen them). Throws INVALID_POLICY with
 * Cedar's own messages and positions; the empty text is the empty set (no rules).
 */
export function parseSharingRules(text: string): SharingRuleSet {
  if (text.length > MAX_SHARING_RULES_CHARACTERS) {
    throw invalid([custom(text, `The policy set is longer than ${MAX_SHARING_RULES_CHARACTERS} characters.`, 0, 0, null)]);
  }
  const validation = validate({ schema: SHARING_RULES_SCHEMA, policies: { staticPolicies: text }, validationSettings: { mode: "strict" } });
  if (validation.type === "failure") throw invalid(validation.errors.map((error) => problem(text, error, null)));
  const problems = [...validation.validationErrors, ...validation.validationWarnings].map((e) => problem(text, e.error, e.policyId));
  if (problems.length > 0) throw invalid(problems);

  const parts = policySetTextToParts(text);
  if (parts.type === "failure") throw invalid(parts.errors.map((error) => problem(text, error, null)));
  if (parts.policy_templates.length > 0) throw invalid([custom(text, "Templates are not used in sharing rules: write static policies.", 0, 0, null)]);
  const policies: Record<string, string> = {};
  const own: PolicyProblem[] = [];
  let cursor = 0;
  for (const policy of parts.policies) {
    const found = text.indexOf(policy, cursor);
    const start = found >= 0 ? found : cursor;
    cursor = found >= 0 ? found + policy.length : cursor;
    const json = policyToJson(policy);
    if (json.type === "failure") throw invalid(json.errors.map((error) => problem(text, error, null)));
    const id = json.json.annotations?.["id"];
    if (!id) own.push(custom(text, 'Each policy needs an @id("...") annotation: decisions name the rule that made them.', start, policy.length, null));
    else if (Object.hasOwn(policies, id)) own.push(custom(text, `Two policies share @id("${id}").`, start, policy.length, id));
    else {
      const action = json.json.action;
      // The action ids the scope names ("*" for any action), whichever JSON form Cedar chose.
      const names = action.op === "All" ? ["*"] : [...JSON.stringify(action).matchAll(/"id":"([^"]+)"/g)].map((match) => match[1] ?? "");
      const loosening = names.filter((name) => name === "*" || (TIGHTEN_ONLY as readonly string[]).includes(name));
      if (json.json.effect === "permit" && loosening.some((name) => name !== "*")) {
        own.push(custom(text, `A permit policy for ${loosening.join(", ")} would loosen the node's quiet hours or frequency cap: rules may only tighten them (use forbid).`, start, policy.length, id));
      }
      policies[id] = policy;
    }
  }
  if (own.length > 0) throw invalid(own);
  return Object.freeze({ text, hash: policyTextHash(text), policies: Object.freeze(policies) });
}

const uid = (type: string, id: string) => ({ type: `${SHARING_RULES_NAMESPACE}::${type}`, id });

// Preparsed once per process and per policy text (content-addressed, so a node that reloads a
// version it saw before reuses it): each decision then sends only the request across to WASM.
const SCHEMA_NAME = `sharing-rules-schema-${policyTextHash(SHARING_RULES_SCHEMA).slice(0, 32)}`;
let schemaReady = false;
const preparsed = new Set<string>();

function policySetId(set: SharingRuleSet): string {
  if (!schemaReady) {
    const answer = preparseSchema(SCHEMA_NAME, SHARING_RULES_SCHEMA);
    if (answer.type === "failure") throw new Error(`the sharing rules' schema cannot be preparsed: ${answer.errors.map((e) => e.message).join("; ")}`);
    schemaReady = true;
  }
  const id = `sharing-rules-${set.hash}`;
  if (!preparsed.has(id)) {
    const answer = preparsePolicySet(id, { staticPolicies: { ...set.policies } });
    if (answer.type === "failure") throw new Error(`sharing rules cannot be preparsed: ${answer.errors.map((e) => e.message).join("; ")}`);
    preparsed.add(id);
  }
  return id;
}

function ask(set: SharingRuleSet, action: string, principal: string, resource: { type: string; id: string }, context: Context, entities: EntityJson[] = []) {
  let answer: AuthorizationAnswer;
  try {
    answer = statefulIsAuthorized({
      principal: uid("Brand", principal),
      action: uid("Action", action),
      resource,
      context,
      preparsedSchemaName: SCHEMA_NAME,
      validateRequest: true,
      preparsedPolicySetId: policySetId(set),
      entities,
    });
  } catch (error) {
    throw new Error(`cedar-wasm threw on sharing rules: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (answer.type === "failure") throw new Error(`sharing rules cannot be evaluated: ${answer.errors.map((e) => e.message).join("; ")}`);
  const { decision, diagnostics } = answer.response;
  // A policy that errored is skipped by Cedar; here it makes the whole answer undecided, so an
  // erroring forbid cannot let a permit through.
  const errored = diagnostics.errors.length > 0;
  return { allowed: decision === "allow" && !errored, reasons: [...diagnostics.reason].sort(), errored };
}

function requestContext(facts: RequestFacts): Context {
  return {
    channel: facts.channel,
    purpose: facts.purpose,
    requestedCap: facts.requestedCap,
    linkDomains: [...new Set(facts.linkDomains.map((d) => d.toLowerCase()))].sort(),
    hasLinks: facts.linkDomains.length > 0,
    sendAfterHour: facts.sendAfterHour,
    sendAfterWeekday: facts.sendAfterWeekday,
    hoursUntilExpiry: facts.hoursUntilExpiry,
    targetCount: facts.targetCount,
  };
}

/**
 * What the rules decide of a new request: a permitted Decline declines (it wins over any
 * approval), else a permitted Approve approves, else it waits (PENDING). `reasons` are the `@id`s
 * of the determining policies.
 */
export function decideRequest(set: SharingRuleSet, facts: RequestFacts): { decision: RequestDecision; reasons: string[] } {
  if (Object.keys(set.policies).length === 0) return { decision: "PENDING", reasons: [] };
  const resource = uid("Request", facts.requestId);
  const context = requestContext(facts);
  const decline = ask(set, "Decline", facts.requester, resource, context);
  if (decline.allowed) return { decision: "DECLINE", reasons: decline.reasons };
  const approve = ask(set, "Approve", facts.requester, resource, context);
  if (approve.allowed) return { decision: "APPROVE", reasons: approve.reasons };
  return { decision: "PENDING", reasons: [...(decline.errored || approve.errored ? ["rule-error"] : []), ...approve.reasons] };
}

/** The domain and its parents, as entities: `m.teabar.example` in `teabar.example` in `example`. */
function domainEntities(domain: string): EntityJson[] {
  const labels = domain.toLowerCase().split(".").filter(Boolean);
  return labels.map((_, i) => {
    const id = labels.slice(i).join(".");
    const parent = labels.slice(i + 1).join(".");
    return { uid: uid("Domain", id), attrs: {}, parents: parent ? [uid("Domain", parent)] : [] };
  });
}

/** Whether the rules permit, forbid or say nothing of linking to a domain (then the node's setting decides). */
export function linkVerdict(set: SharingRuleSet, requester: string, domain: string, channel: string): "ALLOW" | "FORBID" | "UNSAID" {
  if (Object.keys(set.policies).length === 0) return "UNSAID";
  const id = domain.toLowerCase();
  const answer = ask(set, "LinkTo", requester, uid("Domain", id), { channel }, domainEntities(id));
  if (answer.allowed) return "ALLOW";
  return answer.reasons.length > 0 || answer.errored ? "FORBID" : "UNSAID";
}

/** The `@id`s of the forbid policies that make this moment quiet for this request (empty: none). */
export function sendForbiddenBy(
  set: SharingRuleSet,
  requester: string,
  requestId: string,
  moment: { channel: string; localMinute: number; weekday: number },
): string[] {
  if (Object.keys(set.policies).length === 0) return [];
  const context = { channel: moment.channel, localMinute: moment.localMinute, localHour: Math.floor(moment.localMinute / 60), weekday: moment.weekday };
  const answer = ask(set, "Send", requester, uid("Request", requestId), context);
  return answer.reasons.length > 0 || answer.errored ? (answer.reasons.length > 0 ? answer.reasons : ["rule-error"]) : [];
}

/** The windows (days) a frequency cap can be set for. */
export const CONTACT_WINDOWS = [1, 7, 14, 30, 60, 90, 180, 365] as const;

/** A frequency cap: a member with `cap` partner messages in the last `windowDays` days is skipped. */
export interface FrequencyLimit {
  windowDays: number;
  cap: number;
}

/**
 * The frequency caps the rules add for one request: for each window, the smallest number of
 * earlier partner messages at which the rules forbid contact (up to `upTo`, the node's own cap,
 * above which the node's cap applies anyway).
 */
export function contactLimits(set: SharingRuleSet, requester: string, requestId: string, channel: string, upTo: number): FrequencyLimit[] {
  if (Object.keys(set.policies).length === 0) return [];
  const limits: FrequencyLimit[] = [];
  for (const windowDays of CONTACT_WINDOWS) {
    for (let partnerMessages = 0; partnerMessages < upTo; partnerMessages += 1) {
      const answer = ask(set, "Contact", requester, uid("Request", requestId), { channel, windowDays, partnerMessages });
      if (answer.reasons.length > 0 || answer.errored) {
        limits.push({ windowDays, cap: partnerMessages });
        break;
      }
    }
  }
  return limits;
}
