import { PLACEHOLDER_NAMES, type PlaceholderName } from "./outreach-message.types.js";

/** A well-formed known placeholder; `start` and `end` are UTF-16 indexes of `{{` and past `}}`. */
export type PlaceholderToken = {
  readonly name: PlaceholderName;
  readonly start: number;
  readonly end: number;
};

export type PlaceholderProblem = {
  readonly reason: "UNKNOWN_PLACEHOLDER" | "MALFORMED_PLACEHOLDER";
  readonly index: number;
  readonly text: string;
};

export type PlaceholderScan = {
  readonly tokens: readonly PlaceholderToken[];
  readonly problem: PlaceholderProblem | null;
};

const KNOWN: readonly { name: PlaceholderName; text: string }[] = PLACEHOLDER_NAMES.map((name) => ({
  name,
  text: `{{${name}}}`,
}));

/**
 * Finds the placeholders of a template. Braces are reserved for placeholders: any `{` or `}`
 * outside a well-formed `{{coupon}}` or `{{firstName}}` is a problem, so `{{coupon}`,
 * `{ {coupon}}` and `{{ coupon }}` are refused rather than sent as written.
 */
export function scanPlaceholders(text: string): PlaceholderScan {
  const tokens: PlaceholderToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== "{" && c !== "}") {
      i += 1;
      continue;
    }
    const known = KNOWN.find((k) => text.startsWith(k.text, i));
    if (known) {
      tokens.push({ name: known.name, start: i, end: i + known.text.length });
      i += known.text.length;
      continue;
    }
    const unknown = /^\{\{[^{}\s]+\}\}/u.exec(text.slice(i, i + 200));
    const reason = unknown && c === "{" ? "UNKNOWN_PLACEHOLDER" : "MALFORMED_PLACEHOLDER";
    return { tokens, problem: { reason, index: i, text: unknown?.[0] ?? text.slice(i, i + 20) } };
  }
  return { tokens, problem: null };
}

/** The template with each placeholder replaced, in one pass: filled-in text is never re-read. */
export function fillPlaceholders(
  text: string,
  tokens: readonly PlaceholderToken[],
  values: Readonly<Record<PlaceholderName, string>>,
): string {
  let out = "";
  let from = 0;
  for (const token of tokens) {
    out += text.slice(from, token.start) + values[token.name];
    from = token.end;
  }
  return out + text.slice(from);
}
