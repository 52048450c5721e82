import { assertTagNode } from "./tag-key.js";
import type { TagExpression } from "./tag-expression.types.js";

/**
 * Prints an expression canonically: tag keys, lowercase `and`/`or`/`not`, single spaces, and
 * parentheses only around an `and`/`or` that is an operand of `and`, `or` or `not`.
 * `formatTagExpression(normalizeTagExpression(e))` is the normal form of `e`.
 *
 * Adding parentheses can make the result deeper or longer than the input was, so re-parse a
 * stored normal form with limits that allow for it, or keep the original text.
 */
export function formatTagExpression(expr: TagExpression): string {
  switch (expr.kind) {
    case "tag":
      assertTagNode(expr);
      return expr.key;
    case "not":
      return `not ${formatOperand(expr.operand)}`;
    case "and":
    case "or":
      if (expr.operands.length === 0) throw new Error(`An "${expr.kind}" needs operands`);
      return expr.operands.map(formatOperand).join(` ${expr.kind} `);
  }
}

function formatOperand(expr: TagExpression): string {
  const text = formatTagExpression(expr);
  return expr.kind === "and" || expr.kind === "or" ? `(${text})` : text;
}
