import type { TagExpression } from "./tag-expression.types.js";

/** Whether a member with the tags that `has` reports matches; `and`/`or` short-circuit. */
export function evaluateTagExpression(expr: TagExpression, has: (key: string) => boolean): boolean {
  switch (expr.kind) {
    case "tag":
      return has(expr.key);
    case "and":
      return expr.operands.every((operand) => evaluateTagExpression(operand, has));
    case "or":
      return expr.operands.some((operand) => evaluateTagExpression(operand, has));
    case "not":
      return !evaluateTagExpression(expr.operand, has);
  }
}
