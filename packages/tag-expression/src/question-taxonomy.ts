/** How many values of a dimension one member may hold: `ONE` at most one, `MANY` any number. */
export type DimensionCardinality = "ONE" | "MANY";

/** What the question key needs to know of the taxonomy. */
export interface QuestionTaxonomy {
  cardinalityOf(dimension: string): DimensionCardinality;
}

/** The taxonomy assumed without one: every dimension is `MANY`, nothing merges by exclusivity. */
export const ALL_MANY_TAXONOMY: QuestionTaxonomy = Object.freeze({
  cardinalityOf: (): DimensionCardinality => "MANY",
});

/**
 * A taxonomy from a list of dimensions and their cardinalities; a dimension it does not list is
 * `MANY`. The entries are copied, so changing the source later does not change the taxonomy.
 */
export function questionTaxonomy(
  cardinalities:
    | Iterable<readonly [string, DimensionCardinality]>
    | ReadonlyMap<string, DimensionCardinality>,
): QuestionTaxonomy {
  const byDimension = new Map<string, DimensionCardinality>();
  for (const [dimension, cardinality] of cardinalities) {
    if (cardinality !== "ONE" && cardinality !== "MANY") {
      throw new Error(`Unknown cardinality of ${JSON.stringify(dimension)}: ${cardinality}`);
    }
    byDimension.set(dimension, cardinality);
  }
  return Object.freeze({
    cardinalityOf: (dimension: string): DimensionCardinality =>
      byDimension.get(dimension) ?? "MANY",
  });
}
