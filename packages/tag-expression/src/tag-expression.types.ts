/** A parsed tag expression. `key` is always `${dimension}:${value}`. */
export type TagExpression =
  | { kind: "tag"; key: string; dimension: string; value: string }
  | { kind: "and"; operands: TagExpression[] }
  | { kind: "or"; operands: TagExpression[] }
  | { kind: "not"; operand: TagExpression };

export type TagNode = Extract<TagExpression, { kind: "tag" }>;

/** Bounds on what `parseTagExpression` accepts; each is checked before the work it bounds. */
export type TagExpressionLimits = {
  /** Maximum length of the input in characters (code points). Default 1000. */
  readonly maxLength: number;
  /** Maximum nesting: every `(` and every `not` opens a level. Default 12. */
  readonly maxDepth: number;
  /** Maximum number of tag occurrences (a repeated tag counts each time). Default 64. */
  readonly maxTerms: number;
};

export const DEFAULT_TAG_EXPRESSION_LIMITS: TagExpressionLimits = Object.freeze({
  maxLength: 1000,
  maxDepth: 12,
  maxTerms: 64,
});
