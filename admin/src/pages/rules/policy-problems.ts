import { GraphQLCallError } from "../../api/graphql.js";

/** One of Cedar's findings as the node's INVALID_POLICY carries it (`extensions.details.problems`). */
export interface PolicyProblem {
  message: string;
  help: string | null;
  policyId: string | null;
  line: number | null;
  column: number | null;
}

/** The problems of an INVALID_POLICY error, or null for any other error. */
export function policyProblems(error: unknown): PolicyProblem[] | null {
  if (!(error instanceof GraphQLCallError) || error.code !== "INVALID_POLICY") return null;
  const details = error.details?.details as { problems?: PolicyProblem[] } | undefined;
  const problems = Array.isArray(details?.problems) ? details.problems : [];
  return problems.length > 0 ? problems : [{ message: error.message, help: null, policyId: null, line: null, column: null }];
}

/** The string offset of a 1-based line and column in `text`, clamped to the text. */
export function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split("\n");
  let offset = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += (lines[i]?.length ?? 0) + 1;
  const current = lines[line - 1] ?? "";
  return Math.min(text.length, offset + Math.max(0, Math.min(column - 1, current.length)));
}
