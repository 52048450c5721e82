/** The meaning of a question, as the privacy layer keys it. */
export interface CanonicalQuestion {
  /** "never": selects nobody in every dataset; "always": everybody; "some": otherwise. */
  kind: "never" | "always" | "some";
  /**
   * Canonical text of the boolean function: equal iff the functions are equal. At most 400
   * characters of printable ASCII with the tag keys visible; a longer one is replaced by
   * `sha256:<hex>` of it.
   */
  form: string;
}

/** Bounds on the work of `canonicalQuestion`; each is checked while building, so it fails fast. */
export type CanonicalQuestionLimits = {
  /** Maximum number of distinct tags in one question. Default 32. */
  readonly maxTags: number;
  /**
   * Maximum number of decision-diagram nodes created while building, intermediate ones included.
   * Default 2000.
   */
  readonly maxNodes: number;
  /**
   * Maximum number of combining steps (pairs of sub-diagrams joined by `and`/`or`, or negated)
   * while building. The node bound alone still lets two large diagrams take quadratic time to
   * meet. Default 10000.
   */
  readonly maxSteps: number;
};

export const DEFAULT_CANONICAL_QUESTION_LIMITS: CanonicalQuestionLimits = Object.freeze({
  maxTags: 32,
  maxNodes: 2000,
  maxSteps: 10_000,
});
