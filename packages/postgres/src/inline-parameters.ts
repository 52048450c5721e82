import pg from "pg";

/**
 * `text` with each `$n` replaced by parameter n as a quoted literal (pg's `escapeLiteral`; null
 * and undefined as NULL), for a statement that must go in a simple query (several statements in
 * one round trip, which the extended protocol's parameters do not allow). Casts written after a
 * placeholder (`$1::uuid`) apply to the literal as they would to the parameter.
 *
 * Only for statement text written in code: a quote or a dollar-quote in `text` is refused, since
 * a `$n` inside a literal there would be replaced too. Refuses a placeholder without a value.
 */
export function inlineParameters(text: string, values: readonly unknown[]): string {
  if (text.includes("'") || text.includes("$$")) throw new Error("inlineParameters takes statement text without literals (no ' and no $$)");
  return text.replace(/\$(\d+)/g, (_, digits: string) => {
    const index = Number(digits) - 1;
    if (index < 0 || index >= values.length) throw new Error(`inlineParameters: no value for $${digits}`);
    return sqlLiteral(values[index]);
  });
}

/** One value as a SQL literal: NULL, or its text quoted by pg's `escapeLiteral` (objects as JSON text, dates as ISO 8601). */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (typeof value === "object") return pg.escapeLiteral(JSON.stringify(value));
  return pg.escapeLiteral(String(value));
}
