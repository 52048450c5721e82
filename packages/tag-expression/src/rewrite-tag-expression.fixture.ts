import type { Random } from "./seeded-random.fixture.js";
import type { TagExpression } from "./tag-expression.types.js";

const tag = (key: string): TagExpression => {
  const [dimension = "", value = ""] = key.split(":");
  return { kind: "tag", key, dimension, value };
};
const and = (...operands: TagExpression[]): TagExpression => ({ kind: "and", operands });
const or = (...operands: TagExpression[]): TagExpression => ({ kind: "or", operands });
const not = (operand: TagExpression): TagExpression => ({ kind: "not", operand });

/** A random expression over `tags`, at most `depth` operators deep. */
export function randomExpression(
  random: Random,
  tags: readonly string[],
  depth: number,
): TagExpression {
  const roll = random.next();
  if (depth === 0 || roll < 0.3) return tag(random.pick(tags));
  if (roll < 0.45) return not(randomExpression(random, tags, depth - 1));
  const operands = Array.from({ length: 2 + random.below(2) }, () =>
    randomExpression(random, tags, depth - 1),
  );
  return roll < 0.72 ? and(...operands) : or(...operands);
}

export type RewriteOptions = {
  readonly tags: readonly string[];
  /** Pairs of distinct values of one single-valued dimension, for exclusivity rewrites. */
  readonly exclusive: readonly (readonly [string, string])[];
};

/**
 * The same question in other words: at random nodes, operand order, duplicates, double negation,
 * De Morgan, distribution, absorption, Shannon expansion, tautology and contradiction padding,
 * and (when `exclusive` lists pairs) the exclusivity of a single-valued dimension.
 */
export function rewrite(
  expr: TagExpression,
  random: Random,
  options: RewriteOptions,
): TagExpression {
  const inner = rewriteChildren(expr, random, options);
  return random.next() < 0.35 ? rewriteHere(inner, random, options) : inner;
}

function rewriteChildren(
  expr: TagExpression,
  random: Random,
  options: RewriteOptions,
): TagExpression {
  switch (expr.kind) {
    case "tag":
      return expr;
    case "not":
      return not(rewrite(expr.operand, random, options));
    case "and":
    case "or": {
      const operands = expr.operands.map((operand) => rewrite(operand, random, options));
      for (let i = operands.length - 1; i > 0; i -= 1) {
        const j = random.below(i + 1);
        [operands[i], operands[j]] = [operands[j] as TagExpression, operands[i] as TagExpression];
      }
      if (random.next() < 0.2) operands.push(random.pick(operands));
      return { kind: expr.kind, operands };
    }
  }
}

function rewriteHere(x: TagExpression, random: Random, options: RewriteOptions): TagExpression {
  const t = tag(random.pick(options.tags));
  const y = tag(random.pick(options.tags));
  const rules: (() => TagExpression | undefined)[] = [
    () => not(not(x)),
    () => deMorgan(x),
    () => distribute(x),
    () => or(x, and(x, y)),
    () => and(x, or(y, x)),
    () => or(and(t, x), and(not(t), x)),
    () => and(x, or(t, not(t))),
    () => and(x, not(and(t, not(t)))),
    () => or(x, and(not(t), t)),
    () => exclusive(x, random, options),
  ];
  return random.pick(rules)() ?? x;
}

function deMorgan(x: TagExpression): TagExpression {
  switch (x.kind) {
    case "and":
      return not(or(...x.operands.map(not)));
    case "or":
      return not(and(...x.operands.map(not)));
    case "not":
      if (x.operand.kind === "and") return or(...x.operand.operands.map(not));
      if (x.operand.kind === "or") return and(...x.operand.operands.map(not));
      return x;
    case "tag":
      return not(not(x));
  }
}

/** `a and (b or c)` -> `(a and b) or (a and c)`, and the dual, on the first such operand. */
function distribute(x: TagExpression): TagExpression | undefined {
  if (x.kind !== "and" && x.kind !== "or") return undefined;
  const dual = x.kind === "and" ? "or" : "and";
  const at = x.operands.findIndex((operand) => operand.kind === dual);
  const inner = x.operands[at];
  if (inner === undefined || (inner.kind !== "and" && inner.kind !== "or")) return undefined;
  const rest = x.operands.filter((_, i) => i !== at);
  return {
    kind: dual,
    operands: inner.operands.map((part) => ({ kind: x.kind, operands: [...rest, part] })),
  };
}

/** `d:a` -> `d:a and not d:b`, or `x` -> `x or (d:a and d:b)`: true only if d is single-valued. */
function exclusive(
  x: TagExpression,
  random: Random,
  options: RewriteOptions,
): TagExpression | undefined {
  if (options.exclusive.length === 0) return undefined;
  const [a, b] = random.pick(options.exclusive);
  if (x.kind === "tag" && x.key === a) return and(x, not(tag(b)));
  return random.next() < 0.5 ? or(x, and(tag(a), tag(b))) : and(x, not(and(tag(b), tag(a))));
}
