import { foldTagExpression } from "./fold-tag-expression.js";
import type { TagExpression } from "./tag-expression.types.js";

export type CompileToSqlOptions = {
  /** Array column of tag ids, optionally qualified: `tag_ids` or `m.tag_ids`. */
  column: string;
  /** Maps a tag key to the value bound for it (usually its id); errors propagate. */
  tagParam(key: string): unknown;
  /** Number of the first placeholder, for appending to a query that has some. Default 1. */
  firstParamIndex?: number;
  /**
   * Element type to cast each placeholder to, e.g. `int` for an `int[]` column. Needed when the
   * driver sends untyped parameters (node-postgres does): Postgres then reads `ARRAY[$1]` as
   * `text[]` and `int[] @> text[]` does not exist. Default: no cast.
   */
  elementType?: string;
};

export type CompiledSql = { text: string; values: unknown[] };

const COLUMN = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;
const ELEMENT_TYPE = /^[a-z_][a-z0-9_]*$/;

/**
 * Compiles to a parameterised Postgres predicate, one `column @> ARRAY[$n]` per tag. Tag keys
 * reach the database only as bound values, never as SQL text; a key used twice reuses its
 * placeholder.
 */
export function compileTagExpressionToSql(
  expr: TagExpression,
  options: CompileToSqlOptions,
): CompiledSql {
  const { column, tagParam, firstParamIndex = 1, elementType } = options;
  if (!COLUMN.test(column)) throw new Error(`Invalid column name: ${JSON.stringify(column)}`);
  if (elementType !== undefined && !ELEMENT_TYPE.test(elementType)) {
    throw new Error(`Invalid element type: ${JSON.stringify(elementType)}`);
  }
  const cast = elementType === undefined ? "" : `::${elementType}`;
  if (!Number.isSafeInteger(firstParamIndex) || firstParamIndex < 1) {
    throw new Error(`firstParamIndex must be a positive integer, got ${firstParamIndex}`);
  }
  const values: unknown[] = [];
  const placeholders = new Map<string, string>();
  const join = (parts: string[], operator: "AND" | "OR"): string => {
    if (parts.length === 0) throw new Error(`An "${operator.toLowerCase()}" needs operands`);
    return `(${parts.join(` ${operator} `)})`;
  };
  const text = foldTagExpression<string>(expr, {
    tag(key) {
      let placeholder = placeholders.get(key);
      if (placeholder === undefined) {
        values.push(tagParam(key));
        placeholder = `$${firstParamIndex + values.length - 1}${cast}`;
        placeholders.set(key, placeholder);
      }
      return `${column} @> ARRAY[${placeholder}]`;
    },
    and: (parts) => join(parts, "AND"),
    or: (parts) => join(parts, "OR"),
    not: (part) => `(NOT ${part})`,
  });
  return { text, values };
}
