import { formatTagExpression } from "./format-tag-expression.js";
import type { TagExpression } from "./tag-expression.types.js";

/**
 * Rewrites an expression so that ones differing only in operand order, duplicate operands,
 * nesting of the same operator or double negation become equal: `and`/`or` operands are
 * flattened, sorted by their canonical text and deduplicated, a one-operand `and`/`or` becomes
 * its operand, and `not not x` becomes `x`. Idempotent; returns a new tree.
 */
export function normalizeTagExpression(expr: TagExpression): TagExpression {
  switch (expr.kind) {
    case "tag":
      return { kind: "tag", key: expr.key, dimension: expr.dimension, value: expr.value };
    case "not": {
      const operand = normalizeTagExpression(expr.operand);
      return operand.kind === "not" ? operand.operand : { kind: "not", operand };
    }
    case "and":
    case "or":
      return normalizeGroup(expr.kind, expr.operands);
  }
}

function normalizeGroup(kind: "and" | "or", operands: TagExpression[]): TagExpression {
  if (operands.length === 0) throw new Error(`An "${kind}" needs operands`);
  const byText = new Map<string, TagExpression>();
  for (const operand of operands) {
    const normal = normalizeTagExpression(operand);
    // A normalized operand of the same kind is already flat, so one level of lifting suffices.
    for (const part of normal.kind === kind ? normal.operands : [normal]) {
      byText.set(formatTagExpression(part), part);
    }
  }
  // Code-unit order, not localeCompare: the normal form must not depend on the host's locale.
  const sorted = [...byText.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, part]) => part);
  const [only] = sorted;
  return sorted.length === 1 && only ? only : { kind, operands: sorted };
}
