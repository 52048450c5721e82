import type { TagExpression, TaxonomyTag } from "./check-expression.js";

export interface Words {
  and: string;
  or: string;
  not: string;
  label(tag: TaxonomyTag | undefined, key: string): string;
}

/** The expression in words: taxonomy labels joined by the locale's and / or / not. */
export function describeExpression(expression: TagExpression, taxonomy: ReadonlyMap<string, TaxonomyTag>, words: Words, nested = false): string {
  switch (expression.kind) {
    case "tag":
      return words.label(taxonomy.get(expression.key), expression.key);
    case "not":
      return `${words.not} ${describeExpression(expression.operand, taxonomy, words, true)}`;
    default: {
      const joined = expression.operands.map((operand) => describeExpression(operand, taxonomy, words, true)).join(` ${words[expression.kind]} `);
      return nested ? `(${joined})` : joined;
    }
  }
}
