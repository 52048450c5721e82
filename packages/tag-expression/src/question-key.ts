import { canonicalQuestion } from "./canonical-question.js";
import type { CanonicalQuestion } from "./canonical-question.types.js";
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
  return keyedQuestion(expr, channel, taxonomy).key;
}

/**
 * The key and the kind of a question, from one decision diagram: the privacy ledger needs both
 * (a question that selects nobody is free), and building the diagram twice would double what a
 * hostile expression costs before its limit trips.
 */
export function keyedQuestion(
  expr: TagExpression,
  channel?: string | null,
  taxonomy?: QuestionTaxonomy,
): { key: string; kind: CanonicalQuestion["kind"] } {
  if (channel !== undefined && channel !== null && !CHANNEL.test(channel)) {
    throw new Error(`Invalid channel for a question key: ${JSON.stringify(channel)}`);
  }
  const channelPart = channel == null ? "*" : channel.toUpperCase();
  const { form, kind } = canonicalQuestion(expr, taxonomy);
  return { key: `${QUESTION_KEY_VERSION}|channel=${channelPart}|${form}`, kind };
}
