import { AGE_BANDS, GENDERS, INTERESTS, LIFECYCLE_STAGES, REGIONS, SeededRandom, TAXONOMY } from "@brandpool/demo-data";
import { parseTagExpression, questionKey, questionTaxonomy } from "@brandpool/tag-expression";

// The nodes key questions by meaning under the taxonomy's cardinalities: so does the pool.
const TAXONOMY_CARDINALITIES = questionTaxonomy(TAXONOMY.map((tag) => [tag.dimension, tag.cardinality] as const));
const keyOf = (text: string) => questionKey(parseTagExpression(text), null, TAXONOMY_CARDINALITIES);

/** The brief's example question; the repeat rows ask it again and again, cold rows never. */
export const REPEATED_QUESTION = "age:25-34 and gender:f and interest:tea";

/** Expression shapes the cold rows ask. */
export type QuestionShape = "and3" | "or-not";

/**
 * The dimensions an analyst combines in an audience question. The RFM scores are left out: three
 * terms with one or two of them match a few dozen members, and a benchmark of mostly such narrow
 * questions would understate the count (its cost grows with the members matched).
 */
const DIMENSIONS: readonly (readonly [string, readonly string[]])[] = [
  ["age", AGE_BANDS],
  ["gender", GENDERS],
  ["region", REGIONS],
  ["lifecycle", LIFECYCLE_STAGES],
  ["interest", INTERESTS],
];

function shuffle<T>(items: T[], seed: number): T[] {
  const random = new SeededRandom(`bench-questions-${seed}`);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function* dimensionTriples(): Generator<[number, number, number]> {
  for (let a = 0; a < DIMENSIONS.length; a++)
    for (let b = a + 1; b < DIMENSIONS.length; b++) for (let c = b + 1; c < DIMENSIONS.length; c++) yield [a, b, c];
}

const valuesOf = (index: number) => DIMENSIONS[index] as readonly [string, readonly string[]];

/** `x and y and z`, three tags of three different dimensions. */
function and3Questions(): string[] {
  const out: string[] = [];
  for (const [a, b, c] of dimensionTriples()) {
    const [da, va] = valuesOf(a);
    const [db, vb] = valuesOf(b);
    const [dc, vc] = valuesOf(c);
    for (const x of va) for (const y of vb) for (const z of vc) out.push(`${da}:${x} and ${db}:${y} and ${dc}:${z}`);
  }
  return out;
}

/** `(x or x') and not y and z`, like `(age:18-24 or age:25-34) and not lifecycle:churned and region:south`. */
function orNotQuestions(): string[] {
  const out: string[] = [];
  for (const [a, b, c] of dimensionTriples()) {
    // Each dimension of the triple takes each role once, so every dimension is or-ed somewhere.
    for (const [o, n, p] of [[a, b, c], [b, c, a], [c, a, b]] as const) {
      const [dOr, vOr] = valuesOf(o);
      const [dNot, vNot] = valuesOf(n);
      const [dPlain, vPlain] = valuesOf(p);
      for (let i = 0; i + 1 < vOr.length; i++)
        for (const y of vNot) for (const z of vPlain) out.push(`(${dOr}:${vOr[i]} or ${dOr}:${vOr[i + 1]}) and not ${dNot}:${y} and ${dPlain}:${z}`);
    }
  }
  return out;
}

/**
 * Distinct questions to hand out one at a time. A node answers a repeated question from its stored
 * answer without counting, so each cold call must ask something no node was asked before in this
 * run; `take` never returns the same question (by meaning) twice, nor the repeated question.
 */
export class QuestionPool {
  private readonly queues: Record<QuestionShape, string[]>;

  constructor(seed = 20_240_601) {
    // Distinct by meaning across both shapes, and never the repeated question.
    const seen = new Set<string>([keyOf(REPEATED_QUESTION)]);
    const distinct = (questions: string[]) =>
      questions.filter((text) => {
        const key = keyOf(text);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    this.queues = { and3: distinct(shuffle(and3Questions(), seed)), "or-not": distinct(shuffle(orNotQuestions(), seed + 1)) };
  }

  take(shape: QuestionShape): string {
    const next = this.queues[shape].pop();
    if (next === undefined) throw new Error(`ran out of distinct ${shape} questions: lower --iterations`);
    return next;
  }

  /** How many questions of a shape are left. */
  remaining(shape: QuestionShape): number {
    return this.queues[shape].length;
  }
}
