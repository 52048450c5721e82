import { AppError } from "@brandpool/errors";
import { describe, expect, it } from "vitest";
import { canonicalQuestion } from "./canonical-question.js";
import {
  type CanonicalQuestionLimits,
  DEFAULT_CANONICAL_QUESTION_LIMITS,
} from "./canonical-question.types.js";
import { parseTagExpression } from "./parse-tag-expression.js";
import { questionKey } from "./question-key.js";
import { TAG_EXPRESSION_ERROR_REASONS } from "./tag-expression.errors.js";

const pad = (i: number): string => String(i).padStart(2, "0");
/** `interest:t01 or interest:t02 or ...`: `count` distinct tags, one diagram node each. */
const manyTags = (count: number): string =>
  Array.from({ length: count }, (_, i) => `interest:t${pad(i + 1)}`).join(" or ");
/**
 * `(x:01 and y:01) or ... or (x:16 and y:16)`: every x sorts before every y, so the diagram must
 * remember which x's held, 2^16 states, though the question has only 32 tags and 32 terms.
 */
const pairsApart = Array.from({ length: 16 }, (_, i) => `(x:${pad(i)} and y:${pad(i)})`)
  .join(" or ");
/** The same shape with each pair adjacent in the order: a diagram of 32 nodes. */
const pairsTogether = Array.from({ length: 16 }, (_, i) => `(x:${pad(i)}a and x:${pad(i)}b)`)
  .join(" or ");

function refusal(input: string, limits?: Partial<CanonicalQuestionLimits>): AppError {
  const expr = parseTagExpression(input);
  try {
    canonicalQuestion(expr, undefined, limits);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input.slice(0, 50))} to be refused`);
}

function expectTooComplex(error: AppError, limitText: RegExp): void {
  expect(error.code).toBe("BAD_EXPRESSION");
  expect(error.details).toEqual({ position: 1, reason: "TOO_COMPLEX" });
  expect(error.message).toMatch(limitText);
}

describe("canonicalQuestion limits", () => {
  it("has frozen defaults of 32 tags, 2000 nodes and 10000 steps", () => {
    expect(DEFAULT_CANONICAL_QUESTION_LIMITS).toEqual({
      maxTags: 32,
      maxNodes: 2000,
      maxSteps: 10_000,
    });
    expect(Object.isFrozen(DEFAULT_CANONICAL_QUESTION_LIMITS)).toBe(true);
    expect(TAG_EXPRESSION_ERROR_REASONS).toContain("TOO_COMPLEX");
  });

  it("accepts 32 distinct tags and refuses 33 (tried: 33 interest tags joined by or)", () => {
    expect(canonicalQuestion(parseTagExpression(manyTags(32))).kind).toBe("some");
    expectTooComplex(refusal(manyTags(33)), /33 distinct tags and the limit is 32/);
  });

  it("counts distinct tags, not occurrences", () => {
    const repeated = `${manyTags(32)} or ${manyTags(20)}`;
    const expr = parseTagExpression(repeated, { maxTerms: 100, maxLength: 2000 });
    expect(canonicalQuestion(expr).kind).toBe("some");
  });

  it("refuses a diagram that outgrows 2000 nodes (tried: 16 x/y pairs ordered apart)", () => {
    expectTooComplex(refusal(pairsApart), /exceeds the limit of 2000 nodes/);
    expect(canonicalQuestion(parseTagExpression(pairsTogether)).kind).toBe("some");
  });

  it("refuses past the step limit (tried: 8 pairs ordered apart, 750 steps, limit 500)", () => {
    const eight = pairsApart.split(" or ").slice(0, 8).join(" or ");
    expect(canonicalQuestion(parseTagExpression(eight)).kind).toBe("some");
    expectTooComplex(refusal(eight, { maxSteps: 500 }), /exceeds the limit of 500 steps/);
  });

  it("takes partial limits and keeps the defaults for the rest", () => {
    expectTooComplex(refusal(manyTags(3), { maxTags: 2 }), /3 distinct tags and the limit is 2/);
    expectTooComplex(refusal(manyTags(4), { maxNodes: 3 }), /limit of 3 nodes/);
  });

  it("refuses an invalid limit as a programming error", () => {
    const expr = parseTagExpression("a:1");
    expect(() => canonicalQuestion(expr, undefined, { maxNodes: -1 })).toThrow(/Invalid/);
    expect(() => canonicalQuestion(expr, undefined, { maxTags: 1.5 })).toThrow(/Invalid/);
    expect(() => canonicalQuestion(expr, undefined, { maxNodes: 2 ** 40 })).toThrow(/too large/);
  });

  it("makes questionKey refuse a question past the default limits", () => {
    let caught: unknown;
    try {
      questionKey(parseTagExpression(pairsApart), "SMS");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).details).toEqual({ position: 1, reason: "TOO_COMPLEX" });
  });
});
