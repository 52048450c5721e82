import { canonicalQuestion } from "./canonical-question.js";
import type { QuestionTaxonomy } from "./question-taxonomy.js";
import type { TagExpression } from "./tag-expression.types.js";

const QUESTION_KEY_VERSION = "v2";
const CHANNEL = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * The privacy layer's key for a question: `v2|channel=<CHANNEL or *>|<form>`, where the form is
 * `canonicalQuestion(expr, taxonomy).form`. Expressions that select the same members in every
 * dataset share a key whatever their wording; channels do not. The channel is upper-cased so
 * `sms` and `SMS` cannot buy two independent noisy answers. Pass the taxonomy so that the
 * exclusivity of single-valued dimensions merges too; without one every dimension is `MANY`.
 *
 * Throws `BAD_EXPRESSION` (reason `TOO_COMPLEX`) for a question past the default limits.
 */
export function questionKey(
  expr: TagExpression,
  channel?: string | null,
  taxonomy?: QuestionTaxonomy,
): string {
  if (channel !== undefined && channel !== null && !CHANNEL.test(channel)) {
    throw new Error(`Invalid channel for a question key: ${JSON.stringify(channel)}`);
  }
  const channelPart = channel == null ? "*" : channel.toUpperCase();
  const { form } = canonicalQuestion(expr, taxonomy);
  return `${QUESTION_KEY_VERSION}|channel=${channelPart}|${form}`;
}
