import type { JsonObject } from "@brandpool/audit-chain";
import type { DecidedKind } from "../db/incoming-request.table.js";
import type { Transaction } from "../db/transaction.js";
import type { IncomingRequestRecord } from "./incoming-request.repository.js";

/**
 * Who decides a request at its owner's node: one of the owner's people (an approver or admin,
 * already allowed by Cedar), or one of the owner's rules (its Cedar sharing rules: auto-approve,
 * auto-decline, blocked partners; its minimum audience). Both go through the same checks and the
 * same status move, and the coordinator hears the same event from either (an automatic decline's
 * held until a drawn release time), so an automatic decline cannot be told from a human one.
 */
export type Decider =
  | { kind: "person"; subject: string; actor: JsonObject }
  /** `by`: the owner's Cedar rules (RULE) or its minimum outreach audience (MINIMUM_AUDIENCE). */
  | { kind: "rule"; ruleId: string; by: Extract<DecidedKind, "RULE" | "MINIMUM_AUDIENCE"> };

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

/** What a rule concluded about a new request (and which of its rules did); null leaves it to the next. */
export type RuleConclusion = (Omit<OutreachDecisionInput, "requestId" | "contentHash"> & { ruleId: string }) | null;

/**
 * A step that may decide a request before the approver does, when the node stores it, in the
 * storing transaction: the minimum outreach audience (`rules/minimum-audience.rule.ts`), then the
 * owner's Cedar rules (`rules/sharing-rules.rule.ts`). What none decides waits (PENDING).
 */
export interface DecisionRule {
  readonly by: Extract<DecidedKind, "RULE" | "MINIMUM_AUDIENCE">;
  conclude(tx: Transaction, request: IncomingRequestRecord): Promise<RuleConclusion>;
}

export function decidedKindOf(decider: Decider): DecidedKind {
  return decider.kind === "person" ? "APPROVER" : decider.by;
}

export function actorOf(decider: Decider): JsonObject {
  return decider.kind === "person" ? decider.actor : { kind: "rule", rule: decider.ruleId };
}

export function authorOf(decider: Decider): string {
  return decider.kind === "person" ? decider.subject : `rule:${decider.ruleId}`;
}
