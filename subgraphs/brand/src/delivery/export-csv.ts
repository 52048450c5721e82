/** RFC 4180 CSV for the mail export: every field quoted, CRLF between records. */

export const CSV_NEWLINE = "\r\n";

/**
 * One record. A field that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR at
 * its start) is prefixed with `'`: the owner opens this file, and its fields come from members.
 */
export function csvRecord(fields: readonly string[]): string {
  return fields.map((field) => `"${neutralise(field).replaceAll('"', '""')}"`).join(",") + CSV_NEWLINE;
}

function neutralise(field: string): string {
  return /^[=+\-@\t\r]/.test(field) ? `'${field}` : field;
}

/** The first field of every record of `text` (quoted fields may hold commas and line breaks). */
export function firstFields(text: string): string[] {
  const fields: string[] = [];
  let index = 0;
  while (index < text.length) {
    const [field, end] = readField(text, index);
    fields.push(field);
    index = skipRecord(text, end);
  }
  return fields;
}

function readField(text: string, start: number): [string, number] {
  if (text[start] !== '"') {
    let end = start;
    while (end < text.length && text[end] !== "," && text[end] !== "\r" && text[end] !== "\n") end++;
    return [text.slice(start, end), end];
  }
  let value = "";
  let index = start + 1;
  while (index < text.length) {
    const quote = text.indexOf('"', index);
    if (quote < 0) return [value + text.slice(index), text.length];
    value += text.slice(index, quote);
    if (text[quote + 1] === '"') {
      value += '"';
      index = quote + 2;
    } else {
      return [value, quote + 1];
    }
  }
  return [value, index];
}

/** From the end of a field to the start of the next record. */
function skipRecord(text: string, from: number): number {
  let index = from;
  while (index < text.length) {
    const char = text[index];
    if (char === "\n") return index + 1;
    if (char === '"') index = readField(text, index)[1];
    else index++;
  }
  return index;
}
