import { SeededRandom, TAXONOMY } from "@brandpool/demo-data";
import { formatTagExpression, parseTagExpression } from "@brandpool/tag-expression";
import type { TagExpression } from "@brandpool/tag-expression";

// How a determined partner rewords one question to buy fresh noise: each rule below turns an
// expression into one that selects the same members in every dataset the taxonomy allows.

type Rule = (expr: TagExpression, random: SeededRandom) => TagExpression;

const tagNode = (key: string): TagExpression => {
  const [dimension = "", value = ""] = key.split(":");
  return { kind: "tag", key, dimension, value };
};
const not = (operand: TagExpression): TagExpression => ({ kind: "not", operand });
const and = (...operands: TagExpression[]): TagExpression => ({ kind: "and", operands });
const or = (...operands: TagExpression[]): TagExpression => ({ kind: "or", operands });

const PLAIN_TAGS = TAXONOMY.filter((tag) => !tag.sensitive);
const anyTag = (random: SeededRandom) => tagNode(random.pick(PLAIN_TAGS).key);

const RULES: Record<string, Rule> = {
  reorder: (expr, random) =>
    expr.kind === "and" || expr.kind === "or" ? { kind: expr.kind, operands: shuffle(expr.operands, random) } : expr,
  duplicate: (expr, random) => (random.chance(0.5) ? and(expr, expr) : or(expr, expr)),
  doubleNegation: (expr) => not(not(expr)),
  deMorgan: (expr) =>
    expr.kind === "and" ? not(or(...expr.operands.map(not))) : expr.kind === "or" ? not(and(...expr.operands.map(not))) : expr,
  tautologyPadding: (expr, random) => {
    const t = anyTag(random);
    return random.pick([and(expr, or(t, not(t))), or(expr, and(t, not(t))), and(expr, not(and(t, not(t))))]);
  },
  absorption: (expr, random) => (random.chance(0.5) ? or(expr, and(expr, anyTag(random))) : and(expr, or(expr, anyTag(random)))),
  // Shannon expansion, the simplest distribution: x = (x and t) or (x and not t).
  distribution: (expr, random) => {
    const t = anyTag(random);
    return or(and(expr, t), and(expr, not(t)));
  },
  // A member holds one value of a single-valued dimension at most: age:a = age:a and not age:b.
  exclusivity: (expr, random) => {
    if (expr.kind !== "tag") return expr;
    const dimension = TAXONOMY.find((tag) => tag.key === expr.key);
    if (dimension?.cardinality !== "ONE") return expr;
    const others = TAXONOMY.filter((tag) => tag.dimension === expr.dimension && tag.key !== expr.key);
    return and(expr, not(tagNode(random.pick(others).key)));
  },
};

export const REWRITE_RULES = Object.keys(RULES);

/** `count` different wordings of `expression`, each equivalent to it, within the parser's limits. */
export function equivalentRewrites(expression: string, count: number, seed = "rewrites"): string[] {
  const random = new SeededRandom(seed);
  const base = parseTagExpression(expression);
  const seen = new Set<string>([formatTagExpression(base)]);
  const out: string[] = [];
  for (let attempt = 0; out.length < count && attempt < count * 50; attempt += 1) {
    let expr = base;
    for (let step = random.int(1, 4); step > 0; step -= 1) expr = rewriteSomewhere(expr, random);
    const text = formatTagExpression(expr);
    if (seen.has(text) || !withinLimits(text)) continue;
    seen.add(text);
    out.push(text);
  }
  if (out.length < count) throw new Error(`only ${out.length} rewrites of ${expression}`);
  return out;
}

/** Applies one random rule at one random position of the tree. */
function rewriteSomewhere(expr: TagExpression, random: SeededRandom): TagExpression {
  const children = expr.kind === "tag" ? [] : expr.kind === "not" ? [expr.operand] : expr.operands;
  if (children.length > 0 && random.chance(0.5)) {
    const index = random.int(0, children.length - 1);
    const rewritten = children.map((child, i) => (i === index ? rewriteSomewhere(child, random) : child));
    return expr.kind === "not" ? not(rewritten[0] as TagExpression) : { kind: expr.kind as "and" | "or", operands: rewritten };
  }
  const rule = RULES[random.pick(REWRITE_RULES)] as Rule;
  return rule(expr, random);
}

function withinLimits(text: string): boolean {
  try {
    parseTagExpression(text);
    return true;
  } catch {
    return false;
  }
}

function shuffle<T>(items: readonly T[], random: SeededRandom): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
