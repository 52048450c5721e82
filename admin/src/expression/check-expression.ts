import { parseTagExpression } from "@tag-expression/parse";
import type { TagExpression } from "../../../packages/tag-expression/src/tag-expression.types.js";

export type { TagExpression };

export interface TaxonomyTag {
  key: string;
  dimension: string;
  value: string;
  labelZh: string;
  labelEn: string;
  sensitive: boolean;
  cardinality: "ONE" | "MANY";
}

export type ExpressionCheck =
  | { ok: true; expression: TagExpression }
  | { ok: false; kind: "syntax"; position: number; reason: string; message: string }
  | { ok: false; kind: "unknown" | "sensitive"; position: number; tag: string };

/**
 * Checks an expression in the browser with the platform's own parser, then its tags against the
 * taxonomy: no request leaves the page, so typing costs no budget. The node checks again.
 */
export function checkExpression(input: string, taxonomy: ReadonlyMap<string, TaxonomyTag>): ExpressionCheck {
  let expression: TagExpression;
  try {
    expression = parseTagExpression(input);
  } catch (error) {
    const details = (error as { details?: { position?: number; reason?: string } }).details;
    return {
      ok: false,
      kind: "syntax",
      position: details?.position ?? 1,
      reason: details?.reason ?? "UNEXPECTED_TOKEN",
      message: error instanceof Error ? error.message : String(error),
    };
  }
  for (const tag of tagsOf(expression)) {
    const known = taxonomy.get(tag);
    if (!known || known.sensitive) {
      return { ok: false, kind: known ? "sensitive" : "unknown", position: positionOf(input, tag), tag };
    }
  }
  return { ok: true, expression };
}

export function tagsOf(expression: TagExpression): string[] {
  switch (expression.kind) {
    case "tag":
      return [expression.key];
    case "not":
      return tagsOf(expression.operand);
    default:
      return expression.operands.flatMap(tagsOf);
  }
}

/** 1-based position of a tag in the input (the parser accepts any case for operators only). */
function positionOf(input: string, tag: string): number {
  const index = input.indexOf(tag);
  return index < 0 ? 1 : Array.from(input.slice(0, index)).length + 1;
}
