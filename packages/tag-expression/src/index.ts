export {
  DEFAULT_TAG_EXPRESSION_LIMITS,
  type TagExpression,
  type TagExpressionLimits,
  type TagNode,
} from "./tag-expression.types.js";
export {
  TAG_EXPRESSION_ERROR_REASONS,
  type TagExpressionErrorDetails,
  type TagExpressionErrorReason,
} from "./tag-expression.errors.js";
export { isTagKey, MAX_TAG_KEY_LENGTH } from "./tag-key.js";
export { parseTagExpression } from "./parse-tag-expression.js";
export { normalizeTagExpression } from "./normalize-tag-expression.js";
export { formatTagExpression } from "./format-tag-expression.js";
export { keyedQuestion, questionKey } from "./question-key.js";
export { canonicalQuestion } from "./canonical-question.js";
export {
  DEFAULT_CANONICAL_QUESTION_LIMITS,
  type CanonicalQuestion,
  type CanonicalQuestionLimits,
} from "./canonical-question.types.js";
export {
  questionTaxonomy,
  type DimensionCardinality,
  type QuestionTaxonomy,
} from "./question-taxonomy.js";
export { tagKeysOf } from "./tag-keys-of.js";
export { foldTagExpression, type TagExpressionFolder } from "./fold-tag-expression.js";
export {
  compileTagExpressionToSql,
  type CompiledSql,
  type CompileToSqlOptions,
} from "./compile-to-sql.js";
export { evaluateTagExpression } from "./evaluate-tag-expression.js";
