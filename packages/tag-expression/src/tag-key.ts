import type { TagNode } from "./tag-expression.types.js";

/** Longest accepted tag key (`dimension:value`), in characters. */
export const MAX_TAG_KEY_LENGTH = 64;

const DIMENSION = /^[a-z][a-z0-9_]*$/;
const VALUE = /^[A-Za-z0-9][A-Za-z0-9_+.-]*$/;

export type TagKeyProblem = "NO_COLON" | "BAD_DIMENSION" | "BAD_VALUE" | "TOO_LONG";

export type TagKeyCheck =
  | { ok: true; dimension: string; value: string }
  | { ok: false; problem: TagKeyProblem };

export function checkTagKey(key: string): TagKeyCheck {
  if (key.length > MAX_TAG_KEY_LENGTH) return { ok: false, problem: "TOO_LONG" };
  const colon = key.indexOf(":");
  if (colon < 0) return { ok: false, problem: "NO_COLON" };
  const dimension = key.slice(0, colon);
  const value = key.slice(colon + 1);
  if (!DIMENSION.test(dimension)) return { ok: false, problem: "BAD_DIMENSION" };
  if (!VALUE.test(value)) return { ok: false, problem: "BAD_VALUE" };
  return { ok: true, dimension, value };
}

/** True when `key` is a well-formed `dimension:value` tag key. */
export function isTagKey(key: string): boolean {
  return checkTagKey(key).ok;
}

/**
 * A hand-built tag node with a key like "a:b or c:d" would print the same as a real `or` and so
 * share its normal form (and privacy-ledger entry); refuse it as the programmer error it is.
 */
export function assertTagNode(node: TagNode): void {
  const check = checkTagKey(node.key);
  if (!check.ok || check.dimension !== node.dimension || check.value !== node.value) {
    throw new Error(`Malformed tag node: ${JSON.stringify(node.key)}`);
  }
}
