import { foldTagExpression } from "./fold-tag-expression.js";
import type { TagExpression } from "./tag-expression.types.js";

/** The distinct tag keys an expression mentions, sorted by code unit. */
export function tagKeysOf(expr: TagExpression): string[] {
  const keys = new Set<string>();
  foldTagExpression<void>(expr, {
    tag: (key) => void keys.add(key),
    and: () => undefined,
    or: () => undefined,
    not: () => undefined,
  });
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
