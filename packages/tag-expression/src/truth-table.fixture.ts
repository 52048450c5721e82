import { evaluateTagExpression } from "./evaluate-tag-expression.js";
import type { TagExpression } from "./tag-expression.types.js";

/** The tags a test world is made of: single-valued dimensions with their values, other tags. */
export type TagUniverse = {
  readonly one: Readonly<Record<string, readonly string[]>>;
  readonly many: readonly string[];
};

/**
 * Every feasible member over the universe, as the set of tags it holds: for each single-valued
 * dimension none or exactly one of its values, for the other tags every combination. A value the
 * universe does not list behaves as none, so this covers every dataset the expressions can tell.
 */
export function feasibleMembers(universe: TagUniverse): ReadonlySet<string>[] {
  let members: string[][] = [[]];
  for (const [dimension, values] of Object.entries(universe.one)) {
    const options = [null, ...values];
    members = members.flatMap((held) =>
      options.map((value) => (value === null ? held : [...held, `${dimension}:${value}`])),
    );
  }
  for (const tag of universe.many) {
    members = members.flatMap((held) => [held, [...held, tag]]);
  }
  return members.map((held) => new Set(held));
}

/** Which feasible members the expression selects, one `0`/`1` per member, by the evaluator. */
export function truthTable(expr: TagExpression, members: readonly ReadonlySet<string>[]): string {
  return members
    .map((held) => (evaluateTagExpression(expr, (key) => held.has(key)) ? "1" : "0"))
    .join("");
}
