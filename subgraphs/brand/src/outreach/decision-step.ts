import type { JsonObject } from "@brandpool/audit-chain";
import type { IncomingRequestRecord } from "./incoming-request.repository.js";

/**
 * Who decides a request at its owner's node: one of the owner's people (an approver or admin,
 * already allowed by Cedar), or one of the owner's rules (the owner-rules issue: auto-approve,
 * auto-decline, blocked partners, minimum audience). Both go through the same checks and the
 * same status move, and the coordinator hears the same event from either, so an automatic
 * decline cannot be told from a human one.
 */
export type Decider = { kind: "person"; subject: string; actor: JsonObject } | { kind: "rule"; ruleId: string };

export type OutreachDecisionKind = "APPROVE" | "DECLINE";

export interface OutreachDecisionInput {
  requestId: string;
  /** The hash the decider saw: the decision covers exactly that content. */
  contentHash: string;
  decision: OutreachDecisionKind;
  /** A decline's reason, kept by the owner only. */
  reason?: string | null;
  /** An approval's cap, 1..the requested maximum; default the requested maximum. */
  cap?: number | null;
}

/** What a rule concluded about a new request; null leaves it to the approver. */
export type RuleConclusion = Omit<OutreachDecisionInput, "requestId" | "contentHash"> | null;

/**
 * A rule that may decide a request before the approver does, when the node stores it. No rule
 * exists yet: every new request waits for the approver (PENDING).
 */
export interface DecisionRule {
  readonly id: string;
  conclude(request: IncomingRequestRecord): Promise<RuleConclusion>;
}

export function actorOf(decider: Decider): JsonObject {
  return decider.kind === "person" ? decider.actor : { kind: "rule", rule: decider.ruleId };
}

export function authorOf(decider: Decider): string {
  return decider.kind === "person" ? decider.subject : `rule:${decider.ruleId}`;
}
