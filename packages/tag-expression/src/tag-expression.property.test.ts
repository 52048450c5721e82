import { describe, expect, it } from "vitest";
import { evaluateTagExpression } from "./evaluate-tag-expression.js";
import { formatTagExpression } from "./format-tag-expression.js";
import { normalizeTagExpression } from "./normalize-tag-expression.js";
import { parseTagExpression } from "./parse-tag-expression.js";
import { questionKey } from "./question-key.js";
import { prng } from "./seeded-random.fixture.js";
import type { TagExpression } from "./tag-expression.types.js";
import { tagKeysOf } from "./tag-keys-of.js";

const KEYS = ["age:18-24", "age:55+", "gender:f", "rfm:3", "city:sh", "vip:A.1"];

function randomExpression(random: () => number, depth: number): TagExpression {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const roll = random();
  if (depth === 0 || roll < 0.35) {
    const key = pick(KEYS);
    const [dimension = "", value = ""] = key.split(":");
    return { kind: "tag", key, dimension, value };
  }
  if (roll < 0.5) return { kind: "not", operand: randomExpression(random, depth - 1) };
  const operands = Array.from({ length: 2 + Math.floor(random() * 3) }, () =>
    randomExpression(random, depth - 1),
  );
  return { kind: roll < 0.75 ? "and" : "or", operands };
}

// Same meaning, different shape: shuffled, with a duplicate and extra same-kind nesting.
function scramble(expr: TagExpression, random: () => number): TagExpression {
  switch (expr.kind) {
    case "tag":
      return expr;
    case "not":
      return { kind: "not", operand: scramble(expr.operand, random) };
    case "and":
    case "or": {
      const operands = expr.operands.map((operand) => scramble(operand, random));
      for (let i = operands.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [operands[i], operands[j]] = [operands[j] as TagExpression, operands[i] as TagExpression];
      }
      const [first, ...rest] = operands as [TagExpression, ...TagExpression[]];
      const withDuplicate = random() < 0.5 ? [...operands, first] : operands;
      return random() < 0.5 && rest.length > 0
        ? { kind: expr.kind, operands: [{ kind: expr.kind, operands: [first] }, ...rest] }
        : { kind: expr.kind, operands: withDuplicate };
    }
  }
}

const ROOMY = { maxLength: 100_000, maxDepth: 100, maxTerms: 10_000 };
const CASES = 500;

describe("tag expression properties (seeded)", () => {
  it("parses the printed normal form back to the normal form", () => {
    const random = prng(20240601);
    for (let i = 0; i < CASES; i += 1) {
      const normal = normalizeTagExpression(randomExpression(random, 4));
      expect(parseTagExpression(formatTagExpression(normal), ROOMY)).toEqual(normal);
    }
  });

  it("parses any printed expression back to the same tree", () => {
    const random = prng(7);
    for (let i = 0; i < CASES; i += 1) {
      const expr = randomExpression(random, 4);
      expect(parseTagExpression(formatTagExpression(expr), ROOMY)).toEqual(expr);
    }
  });

  it("normalizes idempotently and without changing the meaning", () => {
    const random = prng(42);
    for (let i = 0; i < CASES; i += 1) {
      const expr = randomExpression(random, 4);
      const normal = normalizeTagExpression(expr);
      expect(normalizeTagExpression(normal)).toEqual(normal);
      const keys = tagKeysOf(expr);
      for (let mask = 0; mask < 1 << keys.length; mask += 1) {
        const has = (key: string): boolean => ((mask >> keys.indexOf(key)) & 1) === 1;
        expect(evaluateTagExpression(normal, has)).toBe(evaluateTagExpression(expr, has));
      }
    }
  });

  it("gives reordered, duplicated and renested expressions the same question key", () => {
    const random = prng(1234);
    for (let i = 0; i < CASES; i += 1) {
      const expr = randomExpression(random, 4);
      expect(questionKey(scramble(expr, random), "SMS")).toBe(questionKey(expr, "SMS"));
    }
  });
});
