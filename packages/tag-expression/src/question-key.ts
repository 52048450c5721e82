import { formatTagExpression } from "./format-tag-expression.js";
import { normalizeTagExpression } from "./normalize-tag-expression.js";
import type { TagExpression } from "./tag-expression.types.js";

const QUESTION_KEY_VERSION = "v1";
const CHANNEL = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * The privacy layer's key for a question: `v1|channel=<CHANNEL or *>|<normal form>`. Expressions
 * that differ only in operand order, duplicates or nesting share a key; channels do not.
 * The channel is upper-cased so `sms` and `SMS` cannot buy two independent noisy answers.
 */
export function questionKey(expr: TagExpression, channel?: string | null): string {
  if (channel !== undefined && channel !== null && !CHANNEL.test(channel)) {
    throw new Error(`Invalid channel for a question key: ${JSON.stringify(channel)}`);
  }
  const channelPart = channel == null ? "*" : channel.toUpperCase();
  const normalForm = formatTagExpression(normalizeTagExpression(expr));
  return `${QUESTION_KEY_VERSION}|channel=${channelPart}|${normalForm}`;
}
