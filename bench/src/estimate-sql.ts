import { foldTagExpression, normalizeTagExpression, parseTagExpression } from "@brandpool/tag-expression";

/**
 * The SQL the node runs for an estimate (estimate.service.ts: `select count(*) from members where`
 * the expression as expression.sql.ts folds it), with the tag ids of the node's dictionary.
 */
export function estimateSql(expression: string, tagIds: ReadonlyMap<string, number>): { text: string; values: number[] } {
  const values: number[] = [];
  const where = foldTagExpression<string>(normalizeTagExpression(parseTagExpression(expression)), {
    tag: (key) => {
      const id = tagIds.get(key);
      if (id === undefined) throw new Error(`tag ${key} is not in the node's dictionary`);
      values.push(id);
      return `("members"."tag_ids" @> ARRAY[$${values.length}]::integer[])`;
    },
    and: (parts) => `(${parts.join(" AND ")})`,
    or: (parts) => `(${parts.join(" OR ")})`,
    not: (part) => `(NOT ${part})`,
  });
  return { text: `select count(*) from "members" where ${where}`, values };
}
