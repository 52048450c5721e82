import type { JsonObject } from "./audit-chain.types.js";

// Deep enough for any real event; shallow enough to stop cycles and stack exhaustion early.
const MAX_DEPTH = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Throws unless `value` is text that Postgres stores and returns unchanged: no NUL (text and jsonb
 * refuse it) and no lone surrogate (UTF-8 encoding would replace it, so the stored text would no
 * longer match the hashed one).
 */
export function assertStorableString(value: string, path: string): void {
  if (value.includes("\u0000")) throw new Error(`${path} contains a NUL character, which Postgres cannot store`);
  if (LONE_SURROGATE.test(value)) throw new Error(`${path} contains a lone UTF-16 surrogate`);
}

/**
 * Throws unless `value` is a plain JSON object that survives a jsonb round trip exactly, so that
 * the hash computed now is the hash recomputed from the stored row later.
 */
export function assertJsonObject(value: unknown, path: string): asserts value is JsonObject {
  if (!isPlainObject(value)) throw new Error(`${path} must be a plain JSON object`);
  assertJsonValue(value, path, 0);
}

function assertJsonValue(value: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) throw new Error(`${path} is nested more than ${MAX_DEPTH} levels deep`);
  if (value === null || typeof value === "boolean") return;
  if (typeof value === "string") return assertStorableString(value, path);
  if (typeof value === "number") return assertJsonNumber(value, path);
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertJsonValue(item, `${path}[${index}]`, depth + 1));
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      assertStorableString(key, `${path} key ${JSON.stringify(key)}`);
      assertJsonValue(item, `${path}.${key}`, depth + 1);
    }
    return;
  }
  // undefined, functions, symbols, bigints, Dates, Maps, class instances: JSON.stringify would
  // drop or reshape them, so what is stored would differ from what the caller meant.
  throw new Error(`${path} is not a JSON value (${describe(value)})`);
}

function assertJsonNumber(value: number, path: string): void {
  if (!Number.isFinite(value)) throw new Error(`${path} is not a finite number`);
  // Beyond 2^53 an integer has usually already lost digits (a bigint id read as a number), and
  // readers that parse jsonb numbers as 64-bit integers would disagree with those that use doubles.
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new Error(`${path} is an integer outside the safe range (±${Number.MAX_SAFE_INTEGER})`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "object" && value !== null) return value.constructor?.name ?? "object";
  return typeof value;
}
