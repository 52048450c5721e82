import { statefulIsAuthorized, type AuthorizationAnswer } from "@cedar-policy/cedar-wasm/nodejs";
import { toCedarRequest, type AuthorizationRequest } from "./cedar-request.js";
import type { Decision } from "./decision.js";
import { readPolicySources, type PolicySources } from "./policy-files.js";
import { preparse, type PreparsedPolicySet } from "./policy-set.js";

function deny(errors: string[], reasons: string[] = []): Decision {
  return { allowed: false, reasons, errors };
}

let shipped: Authorizer | undefined;

/**
 * Answers "may this principal do this action on this resource?" with the Cedar policies of this
 * package. The schema and policies are parsed, validated and cached inside cedar-wasm once, at
 * load; each call then sends only the request and its two or three entities across to WASM.
 */
export class Authorizer {
  readonly #set: PreparsedPolicySet;

  private constructor(set: PreparsedPolicySet) {
    this.#set = set;
  }

  /**
   * The authorizer for the schema.cedarschema and policies.cedar shipped with this package.
   * The first call reads, validates and preparses them and throws if they are not valid; later
   * calls return the same instance.
   */
  static load(): Authorizer {
    shipped ??= Authorizer.fromSources(readPolicySources());
    return shipped;
  }

  /** An authorizer for other sources (tests, tooling). Throws if they are not valid. */
  static fromSources(sources: PolicySources): Authorizer {
    return new Authorizer(preparse(sources));
  }

  /** Policy text by `@id`, as loaded. */
  get policies(): Readonly<Record<string, string>> {
    return this.#set.policies;
  }

  /**
   * Decides one request. Never throws: a request that cannot be evaluated cleanly (malformed,
   * outside the schema, or with a policy that errored) is a deny with its `errors` filled.
   */
  authorize(request: AuthorizationRequest): Decision {
    const mapped = toCedarRequest(request);
    if (!mapped.ok) return deny([mapped.error]);

    let answer: AuthorizationAnswer;
    try {
      answer = statefulIsAuthorized({
        ...mapped.request,
        preparsedSchemaName: this.#set.schemaName,
        preparsedPolicySetId: this.#set.policySetId,
        // Rejects a principal or resource type that the action does not apply to, and context
        // attributes that the schema does not declare, instead of letting policies guess.
        validateRequest: true,
      });
    } catch (error) {
      return deny([`cedar-wasm threw: ${error instanceof Error ? error.message : String(error)}`]);
    }

    if (answer.type === "failure") return deny(answer.errors.map((e) => e.message));

    const { decision, diagnostics } = answer.response;
    const reasons = [...diagnostics.reason];
    const errors = diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`);
    // Cedar skips a policy whose evaluation errored, so an erroring forbid could let a permit
    // through; here any error denies.
    if (decision === "deny") return deny(errors, reasons);
    if (errors.length > 0) return deny(errors);
    return { allowed: true, reasons, errors };
  }
}
