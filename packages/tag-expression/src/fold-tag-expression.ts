import type { TagExpression, TagNode } from "./tag-expression.types.js";

/** How to turn each kind of node into a `T`, given its operands' results. */
export type TagExpressionFolder<T> = {
  tag(key: string, node: TagNode): T;
  and(parts: T[]): T;
  or(parts: T[]): T;
  not(part: T): T;
};

/** Compiles an expression bottom-up into anything (SQL fragments, bitmaps, predicates). */
export function foldTagExpression<T>(expr: TagExpression, folder: TagExpressionFolder<T>): T {
  switch (expr.kind) {
    case "tag":
      return folder.tag(expr.key, expr);
    case "and":
      return folder.and(expr.operands.map((operand) => foldTagExpression(operand, folder)));
    case "or":
      return folder.or(expr.operands.map((operand) => foldTagExpression(operand, folder)));
    case "not":
      return folder.not(foldTagExpression(expr.operand, folder));
  }
}
