import { createHash } from "node:crypto";
import {
  type CanonicalQuestion,
  type CanonicalQuestionLimits,
  DEFAULT_CANONICAL_QUESTION_LIMITS,
} from "./canonical-question.types.js";
import { ALWAYS, DecisionDiagram, NEVER } from "./decision-diagram.js";
import { foldTagExpression } from "./fold-tag-expression.js";
import { type DiagramSlot, printDecisionDiagram } from "./print-decision-diagram.js";
import { ALL_MANY_TAXONOMY, type QuestionTaxonomy } from "./question-taxonomy.js";
import { badExpression } from "./tag-expression.errors.js";
import type { TagExpression, TagNode } from "./tag-expression.types.js";
import { assertTagNode } from "./tag-key.js";

/** Longer forms are hashed: the key is stored, logged in size-limited audit events and HMACed. */
const MAX_FORM_LENGTH = 400;

/**
 * The boolean function of a question: two expressions get the same `form` iff they select the
 * same members in every dataset that respects the taxonomy (a `ONE` dimension holds at most one
 * value per member; without a taxonomy every dimension is `MANY`). Built as a reduced ordered
 * decision diagram over the tags in code-unit order, so the form does not depend on the wording.
 *
 * Throws `BAD_EXPRESSION` (reason `TOO_COMPLEX`, position 1) past a limit.
 */
export function canonicalQuestion(
  expr: TagExpression,
  taxonomy: QuestionTaxonomy = ALL_MANY_TAXONOMY,
  limits?: Partial<CanonicalQuestionLimits>,
): CanonicalQuestion {
  const effective = resolveLimits(limits);
  const tags = distinctTags(expr);
  if (tags.size > effective.maxTags) {
    throw badExpression(
      "TOO_COMPLEX",
      1,
      `The question is too complex: it names ${tags.size} distinct tags and the limit is ` +
        `${effective.maxTags}`,
    );
  }
  const { slots, literalOf } = slotsOf(tags, taxonomy);
  const diagram = new DecisionDiagram(effective);
  const literals = new Map<string, number>();
  const root = foldTagExpression<number>(expr, {
    tag: (key) => {
      const [slot, value] = literalOf(key);
      const known = literals.get(key) ?? diagram.literal(slot, value);
      literals.set(key, known);
      return known;
    },
    and: (parts) => parts.reduce((f, g) => diagram.and(f, g), ALWAYS),
    or: (parts) => parts.reduce((f, g) => diagram.or(f, g), NEVER),
    not: (part) => diagram.not(part),
  });
  const kind = root === NEVER ? "never" : root === ALWAYS ? "always" : "some";
  const text = printDecisionDiagram(diagram, slots, root);
  // Short forms are `never`, `always` or hold `?` or `{`, so none looks like a hashed one.
  const form =
    text.length > MAX_FORM_LENGTH
      ? `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`
      : text;
  return { kind, form };
}

function resolveLimits(
  limits: Partial<CanonicalQuestionLimits> | undefined,
): CanonicalQuestionLimits {
  const resolved = { ...DEFAULT_CANONICAL_QUESTION_LIMITS };
  for (const name of Object.keys(resolved) as (keyof CanonicalQuestionLimits)[]) {
    const value = limits?.[name] ?? resolved[name];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new Error(`Invalid canonical question limit ${name}: ${value}`);
    }
    resolved[name] = value;
  }
  return resolved;
}

/** Every tag node, checked, by key; an empty `and`/`or` is refused as `format` refuses it. */
function distinctTags(expr: TagExpression): Map<string, TagNode> {
  const tags = new Map<string, TagNode>();
  const refuseEmpty = (kind: "and" | "or") => (parts: unknown[]) => {
    if (parts.length === 0) throw new Error(`An "${kind}" needs operands`);
  };
  foldTagExpression<void>(expr, {
    tag: (key, node) => {
      assertTagNode(node);
      tags.set(key, node);
    },
    and: refuseEmpty("and"),
    or: refuseEmpty("or"),
    not: () => undefined,
  });
  return tags;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The diagram's variables in a fixed order that depends only on the tags themselves: by
 * dimension, then by value, in code-unit order (never locale order). A `ONE` dimension is one
 * variable whose values are the ones mentioned; each `MANY` tag is a variable of its own.
 */
function slotsOf(
  tags: ReadonlyMap<string, TagNode>,
  taxonomy: QuestionTaxonomy,
): { slots: DiagramSlot[]; literalOf: (key: string) => [number, number] } {
  const valuesByDimension = new Map<string, string[]>();
  for (const { dimension, value } of tags.values()) {
    const values = valuesByDimension.get(dimension) ?? [];
    values.push(value);
    valuesByDimension.set(dimension, values);
  }
  const slots: DiagramSlot[] = [];
  const literals = new Map<string, [number, number]>();
  for (const dimension of [...valuesByDimension.keys()].sort(byCodeUnit)) {
    const values = (valuesByDimension.get(dimension) ?? []).sort(byCodeUnit);
    const cardinality = taxonomy.cardinalityOf(dimension);
    if (cardinality === "ONE") {
      const slot = slots.length;
      values.forEach((value, index) => literals.set(`${dimension}:${value}`, [slot, index]));
      slots.push({ kind: "ONE", dimension, values });
    } else if (cardinality === "MANY") {
      for (const value of values) {
        const key = `${dimension}:${value}`;
        literals.set(key, [slots.length, 0]);
        slots.push({ kind: "MANY", key });
      }
    } else {
      throw new Error(`Unknown cardinality of ${JSON.stringify(dimension)}: ${cardinality}`);
    }
  }
  const literalOf = (key: string): [number, number] => {
    const literal = literals.get(key);
    if (literal === undefined) throw new Error(`No slot for tag ${JSON.stringify(key)}`);
    return literal;
  };
  return { slots, literalOf };
}
