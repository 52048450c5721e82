import { RoaringBitmap32 } from "./roaring.js";
import type { TagExpression } from "@brandpool/tag-expression";

/**
 * A set of members as the evaluation carries it: a bitmap, or (negated) everything but a bitmap.
 * `owned` bitmaps were made by this evaluation and may be changed in place; the others are the
 * index's own and are only read.
 */
interface Operand {
  bitmap: RoaringBitmap32;
  negated: boolean;
  owned: boolean;
}

/**
 * Counts the members of `within` (every member, or a channel's consenting members) that match the
 * expression, from per-tag bitmaps that hold only members of `within`'s universe. Complements are
 * never materialised: `not x` is carried as a flag and turns into and-not, or into a subtraction
 * at the end. The top-level `and` ends with a cardinality operation instead of one more bitmap.
 * Temporary bitmaps are freed before it returns (their memory is native, out of V8's sight).
 */
export function countExpression(
  expr: TagExpression,
  tagBitmap: (key: string) => RoaringBitmap32,
  within: RoaringBitmap32,
): number {
  const temporaries: RoaringBitmap32[] = [];
  const own = (bitmap: RoaringBitmap32): Operand => {
    temporaries.push(bitmap);
    return { bitmap, negated: false, owned: true };
  };
  const evaluate = (node: TagExpression): Operand => {
    switch (node.kind) {
      case "tag":
        return { bitmap: tagBitmap(node.key), negated: false, owned: false };
      case "not": {
        const inner = evaluate(node.operand);
        return { ...inner, negated: !inner.negated };
      }
      case "and":
        return conjunction(node.operands.map(evaluate), own);
      case "or":
        // De Morgan: x or y = not (not x and not y), so one routine handles both.
        return negate(conjunction(node.operands.map((operand) => negate(evaluate(operand))), own));
    }
  };
  try {
    if (expr.kind === "and") return countConjunction(expr.operands.map(evaluate), within, own);
    const result = evaluate(expr);
    const matched = within.andCardinality(result.bitmap);
    return result.negated ? within.size - matched : matched;
  } finally {
    for (const bitmap of temporaries) bitmap.dispose();
  }
}

function negate(operand: Operand): Operand {
  return { ...operand, negated: !operand.negated };
}

/**
 * `p1 and p2 ... and not n1 and not n2 ...`: the positives' intersection, smallest first (each
 * step is bounded by the smaller side), minus the union of the negatives. With no positive it is
 * the complement of the negatives' union.
 */
function conjunction(parts: Operand[], own: (bitmap: RoaringBitmap32) => Operand): Operand {
  if (parts.length === 1) return parts[0] as Operand;
  const positives = parts.filter((part) => !part.negated).sort((a, b) => a.bitmap.size - b.bitmap.size);
  const negatives = parts.filter((part) => part.negated);
  if (positives.length === 0) return negate(union(negatives, own));
  let result = positives[0] as Operand;
  for (const part of positives.slice(1)) result = intersect(result, part.bitmap, own);
  for (const part of negatives) result = subtract(result, part.bitmap, own);
  return result;
}

/** The count of `within and p1 and p2 ... and not n1 ...`, the last step a cardinality. */
function countConjunction(parts: Operand[], within: RoaringBitmap32, own: (bitmap: RoaringBitmap32) => Operand): number {
  const positives = [{ bitmap: within, negated: false, owned: false }, ...parts.filter((part) => !part.negated)].sort(
    (a, b) => a.bitmap.size - b.bitmap.size,
  );
  const negatives = parts.filter((part) => part.negated);
  const last = positives.length > 1 && negatives.length === 0 ? positives.pop() : undefined;
  let result = positives[0] as Operand;
  for (const part of positives.slice(1)) result = intersect(result, part.bitmap, own);
  if (last) return result.bitmap.andCardinality(last.bitmap);
  for (const part of negatives.slice(0, -1)) result = subtract(result, part.bitmap, own);
  const final = negatives.at(-1);
  return final ? result.bitmap.andNotCardinality(final.bitmap) : result.bitmap.size;
}

function union(parts: Operand[], own: (bitmap: RoaringBitmap32) => Operand): Operand {
  return own(RoaringBitmap32.orMany(parts.map((part) => part.bitmap)));
}

function intersect(into: Operand, other: RoaringBitmap32, own: (bitmap: RoaringBitmap32) => Operand): Operand {
  if (into.owned) {
    into.bitmap.andInPlace(other);
    return into;
  }
  return own(RoaringBitmap32.and(into.bitmap, other));
}

function subtract(from: Operand, other: RoaringBitmap32, own: (bitmap: RoaringBitmap32) => Operand): Operand {
  if (from.owned) {
    from.bitmap.andNotInPlace(other);
    return from;
  }
  return own(RoaringBitmap32.andNot(from.bitmap, other));
}
